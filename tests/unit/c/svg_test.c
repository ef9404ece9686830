/* svg_test - tick values, coordinates, escaping and paths of lib/svg */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"
#include "check.h"

/* Ticks of [lo, hi] as text "a b c ...". */
static const char *
ticks(double lo, double hi, size_t max)
{
	static char buf[256];
	double t[32];
	size_t n = fc_svg_ticks(&lo, &hi, max, t), i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%g",
				      i ? " " : "", fabs(t[i]) < 1e-12 ? 0 : t[i]);
	return buf;
}

/* What f writes to a memory stream. */
static char *
written(void (*f)(FILE *))
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	f(fp);
	fclose(fp);
	return text;
}

static void
esc(FILE *fp)
{
	fc_svg_escape(fp, "a<b & \"c\" 'd'>\x01");
}

static void
line(FILE *fp)
{
	fc_plot p = { 0, 10, 0, 100, 50, 10, 100, 200 };
	double x[] = { 0, 5, 6, 10 }, y[] = { 0, 50, NAN, 100 };

	fc_svg_line(fp, &p, x, y, 4, "history");
}

int
main(void)
{
	fc_plot p = { 0, 10, 0, 100, 50, 10, 100, 200 };
	char *s;

	/* R: pretty(c(0.3, 9.7)) is 0 2 4 6 8 10 */
	CHECK(strcmp(ticks(0.3, 9.7, 7), "0 2 4 6 8 10") == 0,
	      "ticks of 0.3-9.7 are R's pretty: %s", ticks(0.3, 9.7, 7));
	/* R: pretty(c(57, 203)) is 50 100 150 200 250 */
	CHECK(strcmp(ticks(57, 203, 7), "50 100 150 200 250") == 0,
	      "ticks of 57-203 are R's pretty: %s", ticks(57, 203, 7));
	CHECK(strcmp(ticks(5, 5, 7), "4.4 4.6 4.8 5 5.2 5.4 5.6") == 0,
	      "a single value gets a range around it: %s", ticks(5, 5, 7));
	CHECK(strcmp(ticks(NAN, NAN, 7), "0 0.2 0.4 0.6 0.8 1") == 0,
	      "no finite value: 0 to 1: %s", ticks(NAN, NAN, 7));
	CHECK(fc_plot_x(&p, 0) == 50 && fc_plot_x(&p, 10) == 150,
	      "x maps onto the plot's width");
	CHECK(fc_plot_y(&p, 0) == 210 && fc_plot_y(&p, 100) == 10,
	      "y grows upwards");
	s = written(esc);
	CHECK(strcmp(s, "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;?") == 0,
	      "text is escaped for XML: %s", s);
	free(s);
	s = written(line);
	CHECK(strcmp(s, "<path class=\"history\" d=\"M50.0 210.0 L100.0 110.0 "
			"M150.0 10.0\"/>\n") == 0,
	      "a missing value breaks the line: %s", s);
	free(s);
	return check_done();
}
