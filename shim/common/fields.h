/*
 * One service's status as fields: the one place that decides what each
 * field says (fields.c). `svx status -o`, the JSON document and the
 * Prometheus metrics all print these values; they differ only in how they
 * write a value that is not known (-o: -1, NA or unknown; JSON: null;
 * Prometheus: no sample).
 */
#ifndef SVX_FIELDS_H
#define SVX_FIELDS_H

#include <stdint.h>

#include "../../adapters/engine/service.h"
#include "../../mappings/mappings.h"
#include "output.h"

/* What a row says, in words used by the filters and every format. */
enum row_state {
	ROW_UP, ROW_DOWN, ROW_STARTING, ROW_STARTED, ROW_FINISHING,
	ROW_STOPPING, ROW_FAILED, ROW_EXITED, ROW_UNSUPERVISED, ROW_UNKNOWN,
	ROW_NSTATES
};
extern const char *const row_state_names[ROW_NSTATES];

/* The row state of a service: its verdict, then its record if read. */
enum row_state row_state(enum svx_verdict, int status_ok, enum svx_state);

enum field_kind {
	FV_ABSENT,		/* not known, or not recorded */
	FV_NUMBER,
	FV_WORD,
	FV_BOOL
};

struct field_value {
	enum field_kind	 kind;
	long long	 number;	/* FV_NUMBER; FV_BOOL: 0 or 1 */
	const char	*word;		/* FV_WORD */
	int		 code;		/* FV_WORD: the enum it names */
};

/* Supervisor words' codes (SF_SUPERVISOR). */
enum { SUPERVISOR_RUNNING, SUPERVISOR_ABSENT, SUPERVISOR_UNKNOWN };

void	field_get(enum status_field_id, const char *name,
	    const struct svx_service *, int64_t now, struct field_value *);
/* As -o writes it: unknown values by the field's absent word. */
void	field_text(struct text *, enum status_field_id,
	    const struct field_value *);
/* -o's line: the fields IDS[0..N) of the service, space-separated. */
void	format_fields(struct text *, const enum status_field_id *, size_t,
	    const char *, const struct svx_service *, int64_t);

#endif
