/* svg - a small SVG writer: plot areas, lines, bands, bars, axes, text */
#ifndef FC_SVG_H
#define FC_SVG_H

#include <stddef.h>
#include <stdio.h>

/*
 * Everything is written straight to a stdio stream; nothing allocates.
 * A plot maps data coordinates [x0, x1] x [y0, y1] onto a rectangle of
 * the picture (pixels, y down). Text is escaped for XML. Styles are CSS
 * classes defined once by fc_svg_begin, so a picture inlined in an HTML
 * page looks the same as the file.
 */
typedef struct fc_plot {
	double x0, x1, y0, y1;           /* data ranges */
	double left, top, width, height; /* plot area in pixels */
} fc_plot;

/* Open a picture w x h pixels with a <title>. */
void fc_svg_begin(FILE *fp, int w, int h, const char *title);

/* Close the picture. */
void fc_svg_end(FILE *fp);

/* Write s with &, <, >, " and ' escaped. */
void fc_svg_escape(FILE *fp, const char *s);

/* Text at pixel (x, y); anchor "start", "middle" or "end". */
void fc_svg_text(FILE *fp, double x, double y, const char *anchor,
		 const char *cls, const char *text);

/* Pixel coordinates of a data point. */
double fc_plot_x(const fc_plot *p, double x);
double fc_plot_y(const fc_plot *p, double y);

/*
 * A line through n points as one <path class="cls">; a NaN y breaks the
 * line. Writes nothing when no point is finite.
 */
void fc_svg_line(FILE *fp, const fc_plot *p, const double *x,
		 const double *y, size_t n, const char *cls);

/* The band between lo and hi over n points, as a closed <path>. */
void fc_svg_band(FILE *fp, const fc_plot *p, const double *x,
		 const double *lo, const double *hi, size_t n, const char *cls);

/* A rectangle in pixels. */
void fc_svg_rect(FILE *fp, double x, double y, double w, double h,
		 const char *cls);

/* A straight segment in pixels. */
void fc_svg_seg(FILE *fp, double x1, double y1, double x2, double y2,
		const char *cls);

/*
 * Round tick values covering [lo, hi]: steps of 1, 2 or 5 times a power
 * of ten, at most max of them (max >= 2). Returns how many were written
 * to out, and widens *lo and *hi to the outer ticks.
 */
size_t fc_svg_ticks(double *lo, double *hi, size_t max, double *out);

/* Horizontal grid lines and labels at the y ticks of the plot. */
void fc_svg_yaxis(FILE *fp, const fc_plot *p, const double *ticks,
		  size_t n);

#endif
