/*
 * Writes compat-matrix.md from the tables themselves (adapters' control
 * bytes, mappings' verbs and exit codes), so the document cannot drift
 * from the code: `make matrix-check` fails when the committed copy differs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../adapters/adapter.h"
#include "../mappings/mappings.h"

static const enum svx_backend backends[] = {
	BACKEND_DAEMONTOOLS, BACKEND_ENCORE, BACKEND_RUNIT, BACKEND_S6,
};
#define NBACKENDS	(sizeof(backends) / sizeof(backends[0]))

static const char *const outcome_names[OUT_COUNT] = {
	[OUT_OK] = "success",
	[OUT_FALSE] = "negative answer (not in the asked state, failed)",
	[OUT_TIMEOUT] = "a wait timed out",
	[OUT_USAGE] = "usage error",
	[OUT_NOT_SUPERVISED] = "not supervised / not a service directory",
	[OUT_UNSUPPORTED] = "verb not supported by the backend",
	[OUT_SYSTEM] = "system error (permission, I/O, unreadable state)",
};

static const char *const send_result_names[SEND_RESULTS] = {
	[SEND_OK] = "sent",
	[SEND_UNSUPPORTED] = "the backend cannot do it",
	[SEND_NOT_SUPERVISED] = "not supervised",
	[SEND_NOT_RUNNING] = "the supervisor is gone",
	[SEND_NOT_RESPONDING] = "the control FIFO is full",
	[SEND_NOT_FIFO] = "supervise/control is not a FIFO",
	[SEND_HELPER_RUNNING] = "encore runs ./start or ./stop",
	[SEND_REFUSED] = "a supervisor asked over its socket said no",
	[SEND_ERROR] = "the write failed",
};

static void
header(void)
{
	size_t i;

	printf("| verb |");
	for (i = 0; i < NBACKENDS; i++)
		printf(" %s |", backend_name(backends[i]));
	printf("\n|---|");
	for (i = 0; i < NBACKENDS; i++)
		printf("---|");
	printf("\n");
}

/* A cell for a verb the backend has no letter for: its emulation. */
static void
emulated_cell(const struct svx_adapter *a, enum svx_verb v)
{
	struct svx_proc up, down;
	const char *r_up, *r_down, *r_after;

	proc_clear(&up);
	proc_clear(&down);
	up.state = STATE_UP;
	up.pid = 1;
	down.state = STATE_DOWN;
	r_up = a->emulate != NULL ? a->emulate(v, &up, 0) : NULL;
	r_down = a->emulate != NULL ? a->emulate(v, &down, 0) : NULL;
	r_after = a->emulate != NULL ? a->emulate(v, &up, 1) : NULL;
	if (r_up == NULL && r_down == NULL && r_after == NULL)
		printf(" unsupported |");
	else if (r_up != NULL && r_down != NULL && strcmp(r_up, r_down) == 0)
		printf(" `%s` (emulated) |", r_up);
	else if (r_up != NULL && r_down != NULL)
		printf(" running: `%s`; stopped: `%s` |", r_up, r_down);
	else
		printf(" `%s` after `d` or when down; otherwise unsupported |",
		    r_after != NULL ? r_after : r_down);
}

static void
verb_table(void)
{
	const char *bytes;
	size_t i;
	int v;

	printf("## Verbs and the control bytes sent\n\n"
	    "Each cell is what `svx VERB` writes to `supervise/control`, in "
	    "one write.\n\"unsupported\" means svx refuses with exit 103 "
	    "and sends nothing, because the\nsupervisor would silently "
	    "ignore the letter.\n\n");
	header();
	for (v = 0; v < VERB_COUNT; v++) {
		printf("| %s%s |", verb_names[v], v > SVX_VERB_LAST ?
		    " (personalities)" : "");
		for (i = 0; i < NBACKENDS; i++) {
			bytes = adapter_for(backends[i])->ctl[v];
			if (bytes != NULL)
				printf(" `%s` |", bytes);
			else
				emulated_cell(adapter_for(backends[i]), v);
		}
		printf("\n");
	}
	printf("\n");
}

static void
exit_table(const struct exit_map *m)
{
	int o;

	printf("## Exit codes: %s\n\n| outcome | code |\n|---|---|\n",
	    m->personality);
	for (o = 0; o < OUT_COUNT; o++)
		if (o == OUT_FALSE && m->counts_false)
			printf("| %s | how many services it was |\n",
			    outcome_names[o]);
		else
			printf("| %s | %d |\n", outcome_names[o], m->code[o]);
	printf("\n%s\n\n", m->note);
}

static void
aliases(void)
{
	size_t i;

	printf("## svx words\n\n| word | meaning |\n|---|---|\n");
	for (i = 0; i < svx_nverbs; i++)
		printf("| `%s` | %s |\n", svx_verbs[i].name, svx_verbs[i].help);
	printf("\n");
}

static void
letter_table(const char *tool, const struct letter_row *rows, size_t n)
{
	const struct svx_adapter *a;
	size_t i, b;

	printf("## %s letters\n\nEach letter is mapped to a verb; the cells "
	    "are what is written on each backend.\n\n| letter | verb |", tool);
	for (b = 0; b < NBACKENDS; b++)
		printf(" %s |", backend_name(backends[b]));
	printf("\n|---|---|");
	for (b = 0; b < NBACKENDS; b++)
		printf("---|");
	printf("\n");
	for (i = 0; i < n; i++) {
		printf("| `-%c` | %s%s |", rows[i].letter,
		    verb_names[rows[i].verb], rows[i].encore ?
		    " (encore 1.11 letter)" : "");
		for (b = 0; b < NBACKENDS; b++) {
			a = adapter_for(backends[b]);
			if (a->ctl[rows[i].verb] != NULL)
				printf(" `%s` |", a->ctl[rows[i].verb]);
			else
				emulated_cell(a, rows[i].verb);
		}
		printf("\n");
	}
	printf("\n");
}

static void
svc_modifier_table(void)
{
	size_t i;

	printf("## svc modifiers\n\nencore 1.11's: on encore the bytes go "
	    "to supervise as they are; elsewhere `L` addresses DIR/log's own "
	    "supervisor and a signal after `+` is refused.\n\n"
	    "| modifier | meaning |\n|---|---|\n");
	for (i = 0; i < svc_nmodifiers; i++)
		printf("| `-%c` | %s |\n", svc_modifiers[i].letter,
		    svc_modifiers[i].help);
	printf("\n");
}

static void
sv_letter_cells(const char *acts)
{
	enum svx_verb verbs[8];
	const struct letter_row *row;
	size_t n = 0, b, i;

	for (; *acts != '\0' && n < 8; acts++)
		if ((row = map_letter(sv_letters, sv_nletters, *acts)) != NULL)
			verbs[n++] = row->verb;
	printf(" ");
	for (i = 0; i < n; i++)
		printf("%s%s", i > 0 ? "+" : "", verb_names[verbs[i]]);
	printf(" |");
	for (b = 0; b < NBACKENDS; b++) {
		const struct svx_adapter *a = adapter_for(backends[b]);

		printf(" ");
		for (i = 0; i < n; i++)
			printf("%s", a->ctl[verbs[i]] != NULL ?
			    a->ctl[verbs[i]] : "?");
		printf(" |");
	}
	printf("\n");
}

static void
sv_row(const struct sv_action *a)
{
	if (a->word != NULL)
		printf("| `%s` |", a->word);
	else
		printf("| `%c...` |", a->first);
	printf(" %s%s%s |", a->flags & SV_STATUS ? "status" : a->acts[0] ==
	    'C' ? "check" : a->acts, a->flags & SV_WAITS ? ", waits" : "",
	    a->flags & SV_KILL ? ", kill on timeout" : "");
	if (a->flags & SV_STATUS || a->acts[0] == 'C')
		printf(" | | | | |\n");
	else
		sv_letter_cells(a->acts);
}

static void
sv_table(void)
{
	size_t i;

	printf("## sv commands\n\nWhole words first, then the first "
	    "character decides, as runit 2.1.2's sv does. `?` marks a letter "
	    "the backend cannot do: sv then warns and counts a failure.\n\n"
	    "| word | runsv letters | verbs | daemontools | encore | runit "
	    "| s6 |\n|---|---|---|---|---|---|---|\n");
	for (i = 0; i < sv_nwords; i++)
		sv_row(&sv_words[i]);
	for (i = 0; i < sv_nfirst; i++)
		sv_row(&sv_first[i]);
	printf("\nExit codes: the number of failures, at most %d; usage and "
	    "fatal errors %d. LSB mode (any other name): usage %d, fatal %d, "
	    "`status` %d running, %d down, %d unknown.\n\n",
	    sv_codes.max_failures, sv_codes.usage, sv_codes.lsb_usage,
	    sv_codes.lsb_fatal, sv_codes.lsb_running, sv_codes.lsb_down,
	    sv_codes.lsb_unknown);
}

static void
s6_tables(void)
{
	const struct svx_adapter *a;
	size_t i, b;

	printf("## s6-svc letters\n\n| letter | verb | ./down |");
	for (b = 0; b < NBACKENDS; b++)
		printf(" %s |", backend_name(backends[b]));
	printf("\n|---|---|---|");
	for (b = 0; b < NBACKENDS; b++)
		printf("---|");
	printf("\n");
	for (i = 0; i < s6svc_nletters; i++) {
		const struct s6_letter *l = &s6svc_letters[i];

		printf("| `-%c` | %s | %s |", l->letter, verb_names[l->verb],
		    l->down_file > 0 ? "created" : l->down_file < 0 ?
		    "removed" : "");
		for (b = 0; b < NBACKENDS; b++) {
			a = adapter_for(backends[b]);
			if (a->ctl[l->verb] != NULL)
				printf(" `%s` |", a->ctl[l->verb]);
			else
				emulated_cell(a, l->verb);
		}
		printf("\n");
	}
	printf("\n## s6-svstat fields\n\n-o pieces match the first field "
	    "they are a prefix of, in this order (s6 2.11).\n\n"
	    "| field | short option |\n|---|---|\n");
	for (i = 0; i < s6svstat_nfields; i++) {
		if (s6svstat_fields[i].letter != 0)
			printf("| %s | `-%c` |\n", s6svstat_fields[i].name,
			    s6svstat_fields[i].letter);
		else
			printf("| %s | |\n", s6svstat_fields[i].name);
	}
	printf("\n");
	exit_table(&s6svc_exits);
	exit_table(&s6svlisten1_exits);
	exit_table(&s6svstat_exits);
	exit_table(&s6svok_exits);
	exit_table(&s6svwait_exits);
}

static void
send_word_row(const struct send_words *w, int r)
{
	const struct send_word *row = &w->row[r];

	printf("| %s | %s | `%s`", send_result_names[r], w->personality,
	    row->text);
	if (row->err != 0)
		printf(", {err} being `%s`", w->err_text(row->err));
	if (row->exiting != NULL)
		printf("; after exit: `%s`", row->exiting);
	if (w->exits != NULL)
		printf(" | %d |\n", w->exits->code[row->outcome]);
	else
		printf(" | a failure counted%s |\n", row->exiting != NULL ?
		    " (none after exit)" : "");
}

static void
send_word_table(void)
{
	static const struct send_words *const speakers[] = {
		&svc_send_words, &sv_send_words, &s6svc_send_words,
	};
	size_t i;
	int r;

	printf("## When a command cannot be sent\n\nWhat each tool says, "
	    "{dir} being the service as given, {backend} the backend, "
	    "{what} the letter or verb refused and {err} the error's text; "
	    "svc and sv go on with the next service, s6-svc exits.\n\n"
	    "| result | tool | says | exit |\n|---|---|---|---|\n");
	for (r = SEND_OK + 1; r < SEND_RESULTS; r++)
		for (i = 0; i < sizeof(speakers) / sizeof(speakers[0]); i++)
			send_word_row(speakers[i], r);
	printf("| a signal after `-+`, off encore | svc | `%s` | %d |\n\n",
	    svc_group_refused.text, svc_exits.code[svc_group_refused.outcome]);
}

static void
cannot_word_table(void)
{
	static const struct cannot_words *const speakers[] = {
		&svstat_cannot_words, &svc_cannot_words, &sv_cannot_words,
		&s6svc_cannot_words,
	};
	const struct cannot_words *w;
	const struct send_word *row;
	size_t i;
	int r;

	printf("## When a service can be neither read nor controlled\n\n"
	    "What each tool says, {dir} being the service as given, {svdir} "
	    "the control directory svstat opened, {why} what svx's detection "
	    "saw and {err} the error's text; svstat puts it after `DIR: ` in "
	    "its line. A tool that never meets a reason has no row for it.\n\n"
	    "| reason | tool | says | exit |\n|---|---|---|---|\n");
	for (r = 0; r < CANNOT_REASONS; r++)
		for (i = 0; i < sizeof(speakers) / sizeof(speakers[0]); i++) {
			w = speakers[i];
			row = &w->row[r];
			if (row->text == NULL)
				continue;
			printf("| %s | %s | `%s`", cannot_reason_names[r],
			    w->personality, row->text);
			if (row->err != 0)
				printf(", {err} being `%s`",
				    w->err_text(row->err));
			if (row->exiting != NULL)
				printf("; after exit: `%s`", row->exiting);
			if (w->exits != NULL)
				printf(" | %d |\n", w->exits->code[row->outcome]);
			else
				printf(" | a failure counted%s |\n",
				    row->exiting != NULL ?
				    " (none after exit)" : "");
		}
	printf("\n");
}

static void
divergence_table(void)
{
	size_t i;

	printf("## Deliberate divergences and foreign-backend rules\n\n"
	    "| tool | when | native tool | svx | proved by |\n"
	    "|---|---|---|---|---|\n");
	for (i = 0; i < ndivergences; i++)
		printf("| %s | %s | %s | %s | %s |\n",
		    divergences[i].personality, divergences[i].when,
		    divergences[i].native, divergences[i].svx,
		    divergences[i].proof);
	printf("\n");
}

int
main(void)
{
	printf("# svx compatibility matrix\n\n"
	    "Generated by `make matrix` from adapters/ and mappings/; do not "
	    "edit by hand.\n`make check` fails when this file is stale.\n\n");
	verb_table();
	aliases();
	exit_table(&svx_exits);
	letter_table("svc", svc_letters, svc_nletters);
	svc_modifier_table();
	exit_table(&svc_exits);
	exit_table(&svstat_exits);
	exit_table(&svok_exits);
	sv_table();
	s6_tables();
	send_word_table();
	cannot_word_table();
	divergence_table();
	return fflush(stdout) == EOF || ferror(stdout) ? 111 : 0;
}
