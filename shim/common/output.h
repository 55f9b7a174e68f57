/*
 * Text built in fixed buffers, and the status words every svx output
 * shares (output.c).
 */
#ifndef SVX_OUTPUT_H
#define SVX_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>

#include "../../adapters/engine/service.h"
#include "../../mappings/mappings.h"

struct text {
	char	*buf;
	size_t	 len, cap;
};
void	text_init(struct text *, char *, size_t);
void	text_put(struct text *, const char *, size_t);
void	text_puts(struct text *, const char *);
void	text_add(struct text *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	text_name(struct text *, const char *);
/* S with control characters and bytes that are not UTF-8 as \xNN. */
void	text_visible(struct text *, const char *);
/* "NAME: KIND: " and FMT's text (migrate's and import's report lines):
 * 0, or -1 when FMT cannot be written. */
int	text_report(struct text *, const char *name, const char *kind,
	    const char *fmt, va_list) __attribute__((format(printf, 4, 0)));
size_t	name_width(const char *);
size_t	utf8_seq_len(const unsigned char *);
void	format_duration(struct text *, int64_t);
void	format_proc(struct text *, const struct svx_service *,
	    const struct svx_proc *, int64_t now);
void	format_status_line(struct text *, const char *name,
	    const struct svx_service *, const struct svx_service *log,
	    int64_t now);
void	print_probe(FILE *, const char *name, const char *path,
	    const struct svx_service *, const struct svx_service *log);
int64_t	now_seconds(void);
int	log_unreadable(const struct svx_service *);
/* Flush stdout: 0, or -1 when what was written was lost. */
int	finish_output(void);

#endif
