/*
 * A systemd unit file read as systemd reads it (svx import): sections,
 * assignments, comments, continuation lines, drop-ins read after the
 * unit in their order, empty assignments that reset a list, command
 * lines split into words with their prefixes, C escapes and quotes,
 * specifiers, and $VAR/${VAR} expansion. Pure but for the lookup of a
 * unit's files (unit_find, unit_dropins), which reads directories.
 * Nothing here prints; no heap: a struct unit holds every string.
 * The rules, in our words: PROTOCOLS.md#systemd-units.
 */
#ifndef SVX_UNIT_H
#define SVX_UNIT_H

#include <limits.h>
#include <stddef.h>

#define UNIT_POOL_MAX	(128 * 1024)	/* every key and value, all files */
#define UNIT_ENTRIES_MAX 512
#define UNIT_FILES_MAX	32		/* the unit and its drop-ins */
#define UNIT_WORDS_MAX	128		/* words of one command line */
#define UNIT_WORD_MAX	4096
#define UNIT_NAME_MAX	256

/* One assignment, in the order read: files in order, lines in order. */
struct unit_entry {
	unsigned int	 section;	/* offsets into the pool */
	unsigned int	 key;
	unsigned int	 value;
	unsigned short	 file;		/* index into the files read */
	unsigned int	 line;		/* the first line of it */
};

struct unit {
	char		 pool[UNIT_POOL_MAX];
	size_t		 used;
	struct unit_entry entry[UNIT_ENTRIES_MAX];
	size_t		 nentries;
	size_t		 nfiles;
	unsigned int	 bad_line;	/* where unit_parse stopped, if it did */
};

/* A unit's name taken apart: "name@inst.service". */
struct unit_name {
	char	full[UNIT_NAME_MAX];	/* %n */
	char	prefix[UNIT_NAME_MAX];	/* %p: before '@', or the name */
	char	instance[UNIT_NAME_MAX];	/* %i: "" when not an instance */
	char	type[16];		/* "service" */
	int	is_template;		/* "name@.service": no instance */
};

/* What the specifiers mean beyond the name (the system manager's). */
struct unit_context {
	const char	*fragment;	/* %y: the unit file's path */
	const char	*hostname;	/* %H */
	const char	*machine_id;	/* %m; NULL: unknown */
	const char	*boot_id;	/* %b */
	const char	*kernel;	/* %v */
	const char	*arch;		/* %a */
};

void	unit_init(struct unit *);
/* TEXT of one file appended to U: 0, or -1 with WHY (U->bad_line). */
int	unit_parse(struct unit *, const char *text, size_t len,
	    const char **why);
/* The last value of SECTION's KEY, or NULL when unset (an empty
 * assignment counts: it is ""). */
const char *unit_last(const struct unit *, const char *section,
	    const char *key);
/* The values of a list setting since its last empty assignment, in
 * order, into OUT (at most MAX): how many there are (may exceed MAX). */
size_t	unit_list(const struct unit *, const char *section, const char *key,
	    const char **out, size_t max);
/* Whether SECTION's KEY is assigned at all (even emptied). */
int	unit_has(const struct unit *, const char *section, const char *key);
/* The Nth entry's parts (for a report over every assignment). */
const char *unit_section(const struct unit *, size_t n);
const char *unit_key(const struct unit *, size_t n);
const char *unit_value(const struct unit *, size_t n);

/* ---- names ---------------------------------------------------------- */

/* NAME ("x.service", "x@i.service", "x@.service") taken apart: 0, or
 * -1 with WHY. A name without a type gets ".service". */
int	unit_name_parse(const char *name, struct unit_name *, const char **why);
/* systemd's unescaping of a name part (%I, %P): "-" is "/", "\xNN" a
 * byte. 0, or -1 when it does not fit. */
int	unit_unescape(const char *in, char *out, size_t len);
/* The template a name's instance is read from: "x@.service". */
int	unit_template_of(const struct unit_name *, char *out, size_t len);

/* ---- command lines ---------------------------------------------------- */

enum {
	EXEC_IGNORE_FAILURE = 1 << 0,	/* '-' */
	EXEC_ARGV0 = 1 << 1,		/* '@': the second word is argv[0] */
	EXEC_NO_ENV = 1 << 2,		/* ':': no $VAR expansion */
	EXEC_FULL_PRIVS = 1 << 3,	/* '+' */
	EXEC_NO_SETUID = 1 << 4,	/* '!' */
	EXEC_AMBIENT = 1 << 5		/* '!!' */
};

struct unit_exec {
	unsigned int	 flags;
	size_t		 nwords;	/* path, then argv (argv[0] first) */
	char		 word[UNIT_WORDS_MAX][UNIT_WORD_MAX];
};

/* One word as systemd's extract_first_word takes it (quotes removed, C
 * escapes decoded); *P advanced. 1 a word, 0 none left, -1 with WHY. */
int	unit_word(const char **p, char *out, size_t len, const char **why);
/* VALUE of an Exec*= line into E: prefixes, words, specifiers resolved
 * per word. 0, or -1 with WHY. */
int	unit_exec_parse(const char *value, const struct unit_name *,
	    const struct unit_context *, struct unit_exec *, const char **why);
/* Specifiers in IN resolved into OUT: 0, or -1 with WHY. */
int	unit_specifiers(const char *in, const struct unit_name *,
	    const struct unit_context *, char *out, size_t len,
	    const char **why);

/*
 * $VAR and ${VAR} in E's words (not its path) against ENV ("K=V",
 * N of them), as systemd expands at start: a word that is exactly $VAR
 * becomes the value split at whitespace (quotes removed), none when
 * unset; ${VAR} inside a word becomes the value as is; "$$" is "$".
 * 0, or -1 with WHY (too many or too long words).
 */
int	unit_exec_expand(struct unit_exec *, const char *const *env, size_t n,
	    const char **why);

/* ---- where units are -------------------------------------------------- */

/* systemd's search path for system units, in its order. */
extern const char *const unit_search_paths[];
extern const size_t unit_nsearch_paths;
/* The file of unit NAME (a template's when an instance is not there
 * itself) under ROOTS (NULL: unit_search_paths): its path into OUT,
 * 0, or -1 with errno (ENOENT). */
int	unit_find(const char *const *roots, size_t nroots,
	    const struct unit_name *, char *out, size_t len);
/*
 * The drop-ins (NAME.d/ *.conf, for an instance also the template's
 * "x@.service.d"), in systemd's order: by file name across all roots, a
 * name in an earlier root masking later ones. Their paths into PATHS:
 * how many, or -1 with errno.
 */
int	unit_dropins(const char *const *roots, size_t nroots,
	    const struct unit_name *, char (*paths)[PATH_MAX], size_t max);

#endif
