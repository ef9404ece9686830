/* svg - a small SVG writer: plot areas, lines, bands, bars, axes, text */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "svg.h"

static const char style[] =
	"<style>"
	"text{font-family:sans-serif;font-size:11px;fill:#333}"
	"text.title{font-size:13px;font-weight:bold}"
	".grid{stroke:#ddd;stroke-width:1}"
	".axis{stroke:#888;stroke-width:1}"
	".history{fill:none;stroke:#333;stroke-width:1.2}"
	".forecast{fill:none;stroke:#1f6fb4;stroke-width:1.8}"
	".band0{fill:#1f6fb4;fill-opacity:0.15;stroke:none}"
	".band1{fill:#1f6fb4;fill-opacity:0.25;stroke:none}"
	".band2{fill:#1f6fb4;fill-opacity:0.35;stroke:none}"
	".bar{fill:#1f6fb4}"
	".bar.chosen{fill:#e07b00}"
	".bar.drift{fill:#c0392b}"
	".origin{stroke:#999;stroke-dasharray:4 3}"
	"</style>\n";

void
fc_svg_begin(FILE *fp, int w, int h, const char *title)
{
	fprintf(fp,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\">\n<title>",
		w, h, w, h);
	fc_svg_escape(fp, title);
	fputs("</title>\n", fp);
	fputs(style, fp);
	fprintf(fp, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", w,
		h);
}

void
fc_svg_end(FILE *fp)
{
	fputs("</svg>\n", fp);
}

void
fc_svg_escape(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", fp); break;
		case '<': fputs("&lt;", fp); break;
		case '>': fputs("&gt;", fp); break;
		case '"': fputs("&quot;", fp); break;
		case '\'': fputs("&#39;", fp); break;
		default:
			/* control characters are not allowed in XML 1.0 */
			if ((unsigned char)*s < 0x20 && *s != '\t' &&
			    *s != '\n')
				fputc('?', fp);
			else
				fputc(*s, fp);
		}
	}
}

void
fc_svg_text(FILE *fp, double x, double y, const char *anchor,
	    const char *cls, const char *text)
{
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", x, y,
		anchor);
	if (cls)
		fprintf(fp, " class=\"%s\"", cls);
	fputc('>', fp);
	fc_svg_escape(fp, text);
	fputs("</text>\n", fp);
}

double
fc_plot_x(const fc_plot *p, double x)
{
	double span = p->x1 - p->x0;

	return p->left + (span > 0 ? (x - p->x0) / span * p->width : 0);
}

double
fc_plot_y(const fc_plot *p, double y)
{
	double span = p->y1 - p->y0;

	return p->top + p->height -
	       (span > 0 ? (y - p->y0) / span * p->height : p->height / 2);
}

void
fc_svg_line(FILE *fp, const fc_plot *p, const double *x, const double *y,
	    size_t n, const char *cls)
{
	int open = 0, pen = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isfinite(y[i]) || !isfinite(x[i])) {
			pen = 0;
			continue;
		}
		if (!open) {
			fprintf(fp, "<path class=\"%s\" d=\"", cls);
			open = 1;
		}
		fprintf(fp, "%s%.1f %.1f", pen ? " L" : (i ? " M" : "M"),
			fc_plot_x(p, x[i]), fc_plot_y(p, y[i]));
		pen = 1;
	}
	if (open)
		fputs("\"/>\n", fp);
}

void
fc_svg_band(FILE *fp, const fc_plot *p, const double *x, const double *lo,
	    const double *hi, size_t n, const char *cls)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (isfinite(lo[i]) && isfinite(hi[i]) && isfinite(x[i]))
			k++;
	if (k == 0)
		return;
	fprintf(fp, "<path class=\"%s\" d=\"", cls);
	k = 0;
	for (i = 0; i < n; i++)
		if (isfinite(lo[i]) && isfinite(hi[i]) && isfinite(x[i]))
			fprintf(fp, "%s%.1f %.1f", k++ ? " L" : "M",
				fc_plot_x(p, x[i]), fc_plot_y(p, hi[i]));
	for (i = n; i-- > 0;)
		if (isfinite(lo[i]) && isfinite(hi[i]) && isfinite(x[i]))
			fprintf(fp, " L%.1f %.1f", fc_plot_x(p, x[i]),
				fc_plot_y(p, lo[i]));
	fputs(" Z\"/>\n", fp);
}

void
fc_svg_rect(FILE *fp, double x, double y, double w, double h,
	    const char *cls)
{
	fprintf(fp,
		"<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		"height=\"%.1f\"/>\n",
		cls, x, y, w > 0 ? w : 0, h > 0 ? h : 0);
}

void
fc_svg_seg(FILE *fp, double x1, double y1, double x2, double y2,
	   const char *cls)
{
	fprintf(fp,
		"<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		"y2=\"%.1f\"/>\n",
		cls, x1, y1, x2, y2);
}

size_t
fc_svg_ticks(double *lo, double *hi, size_t max, double *out)
{
	static const double mult[] = { 1, 2, 5, 10 };
	double span, step = 1, base, a, b;
	size_t i, n;

	if (!isfinite(*lo) || !isfinite(*hi)) {
		*lo = 0;
		*hi = 1;
	}
	if (*hi <= *lo) {
		double c = *lo, d = fabs(c) > 0 ? fabs(c) * 0.1 : 1;

		*lo = c - d;
		*hi = c + d;
	}
	span = *hi - *lo;
	base = pow(10, floor(log10(span / (double)(max - 1))));
	for (i = 0; i < 4; i++) {
		step = base * mult[i];
		if (ceil(*hi / step) - floor(*lo / step) + 1 <= (double)max)
			break;
	}
	a = floor(*lo / step);
	b = ceil(*hi / step);
	for (n = 0; a + (double)n <= b && n < max + 1; n++)
		out[n] = (a + (double)n) * step;
	*lo = a * step;
	*hi = b * step;
	return n;
}

void
fc_svg_yaxis(FILE *fp, const fc_plot *p, const double *ticks, size_t n)
{
	char buf[32];
	size_t i;

	for (i = 0; i < n; i++) {
		double y = fc_plot_y(p, ticks[i]);

		fc_svg_seg(fp, p->left, y, p->left + p->width, y, "grid");
		snprintf(buf, sizeof buf, "%.6g",
			 fabs(ticks[i]) < 1e-12 ? 0 : ticks[i]);
		fc_svg_text(fp, p->left - 6, y + 4, "end", NULL, buf);
	}
	fc_svg_seg(fp, p->left, p->top + p->height, p->left + p->width,
		   p->top + p->height, "axis");
}
