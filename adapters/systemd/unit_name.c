/*
 * A unit's name (template, instance, type), its specifiers as the
 * system manager resolves them, and where systemd finds the unit and
 * its drop-ins (PROTOCOLS.md#systemd-units). Silent; unit_find and
 * unit_dropins read directories, the rest is pure.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../bytes.h"
#include "unit.h"

const char *const unit_search_paths[] = {
	"/etc/systemd/system",
	"/run/systemd/system",
	"/usr/local/lib/systemd/system",
	"/usr/lib/systemd/system",
	"/lib/systemd/system",
};
const size_t unit_nsearch_paths = sizeof(unit_search_paths) /
    sizeof(unit_search_paths[0]);

int
unit_name_parse(const char *name, struct unit_name *u, const char **why)
{
	const char *dot, *at;
	size_t n;

	memset(u, 0, sizeof(*u));
	*why = NULL;
	if (name[0] == '\0' || strchr(name, '/') != NULL) {
		*why = "not a unit name";
		return -1;
	}
	dot = strrchr(name, '.');
	if (snprintf(u->full, sizeof(u->full), "%s%s", name, dot == NULL ?
	    ".service" : "") >= (int)sizeof(u->full)) {
		*why = "a name too long";
		return -1;
	}
	dot = strrchr(u->full, '.');
	if (strlcpy(u->type, dot + 1, sizeof(u->type)) >= sizeof(u->type) ||
	    dot == u->full) {
		*why = "not a unit name";
		return -1;
	}
	at = memchr(u->full, '@', (size_t)(dot - u->full));
	n = at != NULL ? (size_t)(at - u->full) : (size_t)(dot - u->full);
	if (n == 0) {
		*why = "a name with nothing before '@'";
		return -1;
	}
	memcpy(u->prefix, u->full, n);
	if (at != NULL) {
		memcpy(u->instance, at + 1, (size_t)(dot - at - 1));
		u->is_template = u->instance[0] == '\0';
	}
	return 0;
}

int
unit_template_of(const struct unit_name *u, char *out, size_t len)
{
	int n = snprintf(out, len, "%s@.%s", u->prefix, u->type);

	return n > 0 && (size_t)n < len ? 0 : -1;
}

int
unit_unescape(const char *in, char *out, size_t len)
{
	size_t at = 0;
	int hi, lo;

	for (; *in != '\0'; in++) {
		if (at + 1 >= len)
			return -1;
		if (*in == '-')
			out[at++] = '/';
		else if (in[0] == '\\' && in[1] == 'x' &&
		    (hi = hex_value(in[2])) >= 0 &&
		    (lo = hex_value(in[3])) >= 0 && (hi | lo) != 0) {
			out[at++] = (char)(hi * 16 + lo);
			in += 3;
		} else
			out[at++] = *in;
	}
	out[at] = '\0';
	return 0;
}

/* ---- specifiers ----------------------------------------------------------- */


/*
 * The specifiers worked out from the name or the machine: each a small
 * function (text into BUF, or a string it already has; NULL: unknown).
 */
typedef const char *spec_fn(const struct unit_name *,
    const struct unit_context *, char *, size_t);

static const char *
sp_full(const struct unit_name *n, const struct unit_context *x, char *buf,
    size_t len)
{
	(void)x, (void)buf, (void)len;
	return n->full;
}

static const char *
sp_no_type(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	(void)x;
	snprintf(buf, len, "%.*s", (int)(strrchr(n->full, '.') - n->full),
	    n->full);
	return buf;
}

static const char *
sp_prefix(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	(void)x, (void)buf, (void)len;
	return n->prefix;
}

static const char *
sp_prefix_unescaped(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	(void)x;
	return unit_unescape(n->prefix, buf, len) == 0 ? buf : NULL;
}

static const char *
sp_instance(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	(void)x, (void)buf, (void)len;
	return n->instance;
}

static const char *
sp_instance_unescaped(const struct unit_name *n,
    const struct unit_context *x, char *buf, size_t len)
{
	(void)x;
	return unit_unescape(n->instance, buf, len) == 0 ? buf : NULL;
}

/* The last '-'-separated part of the prefix (%j). */
static const char *
sp_final(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	const char *dash = strrchr(n->prefix, '-');

	(void)x, (void)buf, (void)len;
	return dash != NULL ? dash + 1 : n->prefix;
}

static const char *
sp_final_unescaped(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	return unit_unescape(sp_final(n, x, NULL, 0), buf, len) == 0 ? buf :
	    NULL;
}

static const char *
sp_file(const struct unit_name *n, const struct unit_context *x, char *buf,
    size_t len)
{
	char tmp[UNIT_NAME_MAX];

	(void)x;
	if (unit_unescape(n->instance[0] != '\0' ? n->instance : n->prefix,
	    tmp, sizeof(tmp)) == -1)
		return NULL;
	snprintf(buf, len, "%s%s", tmp[0] == '/' ? "" : "/", tmp);
	return buf;
}

static const char *
sp_credentials(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	(void)x;
	snprintf(buf, len, "/run/credentials/%s", n->full);
	return buf;
}

static const char *
sp_host(const struct unit_name *n, const struct unit_context *x, char *buf,
    size_t len)
{
	(void)n, (void)buf, (void)len;
	return x != NULL ? x->hostname : NULL;
}

static const char *
sp_short_host(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	(void)n;
	if (x == NULL || x->hostname == NULL)
		return NULL;
	snprintf(buf, len, "%.*s", (int)strcspn(x->hostname, "."),
	    x->hostname);
	return buf;
}

static const char *
sp_machine(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	(void)n, (void)buf, (void)len;
	return x != NULL ? x->machine_id : NULL;
}

static const char *
sp_boot(const struct unit_name *n, const struct unit_context *x, char *buf,
    size_t len)
{
	(void)n, (void)buf, (void)len;
	return x != NULL ? x->boot_id : NULL;
}

static const char *
sp_kernel(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	(void)n, (void)buf, (void)len;
	return x != NULL ? x->kernel : NULL;
}

static const char *
sp_arch(const struct unit_name *n, const struct unit_context *x, char *buf,
    size_t len)
{
	(void)n, (void)buf, (void)len;
	return x != NULL ? x->arch : NULL;
}

static const char *
sp_fragment(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	(void)n, (void)buf, (void)len;
	return x != NULL ? x->fragment : NULL;
}

static const char *
sp_fragment_dir(const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	const char *slash;

	(void)n;
	if (x == NULL || x->fragment == NULL || (slash = strrchr(x->fragment,
	    '/')) == NULL)
		return NULL;
	snprintf(buf, len, "%.*s", slash == x->fragment ? 1 :
	    (int)(slash - x->fragment), x->fragment);
	return buf;
}

/*
 * Every specifier svx resolves, as the system manager does: a fixed text,
 * or a function of the name and the machine. The others (os-release's
 * %o %w %B %W %M %A, %q) are refused.
 */
static const struct {
	char		 letter;
	const char	*text;
	spec_fn		*fn;
} specifiers[] = {
	{ '%', "%", NULL }, { 'C', "/var/cache", NULL }, { 'E', "/etc", NULL },
	{ 'G', "0", NULL }, { 'H', NULL, sp_host },
	{ 'I', NULL, sp_instance_unescaped },
	{ 'J', NULL, sp_final_unescaped }, { 'L', "/var/log", NULL },
	{ 'N', NULL, sp_no_type }, { 'P', NULL, sp_prefix_unescaped },
	{ 'S', "/var/lib", NULL }, { 'T', "/tmp", NULL }, { 'U', "0", NULL },
	{ 'V', "/var/tmp", NULL }, { 'Y', NULL, sp_fragment_dir },
	{ 'a', NULL, sp_arch }, { 'b', NULL, sp_boot },
	{ 'd', NULL, sp_credentials }, { 'f', NULL, sp_file },
	{ 'g', "root", NULL }, { 'h', "/root", NULL }, { 'i', NULL, sp_instance },
	{ 'j', NULL, sp_final }, { 'l', NULL, sp_short_host },
	{ 'm', NULL, sp_machine }, { 'n', NULL, sp_full },
	{ 'p', NULL, sp_prefix }, { 's', "/bin/sh", NULL }, { 't', "/run", NULL },
	{ 'u', "root", NULL }, { 'v', NULL, sp_kernel },
	{ 'y', NULL, sp_fragment },
};

/* What %C stands for: its text (maybe in BUF); NULL if svx does not know. */
static const char *
specifier(int c, const struct unit_name *n, const struct unit_context *x,
    char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(specifiers) / sizeof(specifiers[0]); i++)
		if (c == specifiers[i].letter)
			return specifiers[i].text != NULL ? specifiers[i].text :
			    specifiers[i].fn(n, x, buf, len);
	return NULL;
}

int
unit_specifiers(const char *in, const struct unit_name *n,
    const struct unit_context *x, char *out, size_t len, const char **why)
{
	char buf[UNIT_NAME_MAX * 2];
	const char *v;
	size_t at = 0, k;

	for (; *in != '\0'; in++) {
		v = NULL;
		if (*in == '%') {
			if (in[1] == '\0' || (v = specifier(in[1], n, x, buf,
			    sizeof(buf))) == NULL) {
				*why = in[1] == '\0' ? "a '%' at the end" :
				    "a specifier svx does not resolve";
				return -1;
			}
			in++;
		}
		k = v != NULL ? strlen(v) : 1;
		if (at + k >= len) {
			*why = "too long once specifiers are resolved";
			return -1;
		}
		memcpy(out + at, v != NULL ? v : in, k);
		at += k;
	}
	out[at] = '\0';
	return 0;
}

/* ---- where units are -------------------------------------------------------- */

/* A link to /dev/null: a masked unit or drop-in. */
static int
is_masked(const struct stat *sb)
{
	struct stat null;

	return S_ISCHR(sb->st_mode) && stat("/dev/null", &null) == 0 &&
	    sb->st_rdev == null.st_rdev;
}

/* 1 a file (or a masked one: the reader says so), 0 none. */
static int
is_file(int dirfd, const char *name)
{
	struct stat sb;

	/* A link is followed (packages link aliases), but it must lead to
	 * a regular file: a FIFO or another device is never opened. */
	return fstatat(dirfd, name, &sb, 0) == 0 && (S_ISREG(sb.st_mode) ||
	    is_masked(&sb));
}

/* PATHS without the masked ones, once they have masked the others. */
static size_t
drop_masked(char (*paths)[PATH_MAX], size_t n)
{
	struct stat sb;
	size_t k, out = 0;

	for (k = 0; k < n; k++) {
		if (stat(paths[k], &sb) == 0 && is_masked(&sb))
			continue;
		if (out != k)
			memcpy(paths[out], paths[k], PATH_MAX);
		out++;
	}
	return out;
}

/* The first root holding NAME as a file: its path into OUT. */
static int
find_one(const char *const *roots, size_t nroots, const char *name,
    char *out, size_t len)
{
	size_t i;
	int fd, found;

	for (i = 0; i < nroots; i++) {
		if ((fd = open(roots[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
		    -1)
			continue;
		found = is_file(fd, name);
		close(fd);
		if (found) {
			if (snprintf(out, len, "%s/%s", roots[i], name) >=
			    (int)len) {
				errno = ENAMETOOLONG;
				return -1;
			}
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

int
unit_find(const char *const *roots, size_t nroots, const struct unit_name *u,
    char *out, size_t len)
{
	char tmpl[UNIT_NAME_MAX];

	if (roots == NULL) {
		roots = unit_search_paths;
		nroots = unit_nsearch_paths;
	}
	if (find_one(roots, nroots, u->full, out, len) == 0)
		return 0;
	if (u->instance[0] == '\0' || unit_template_of(u, tmpl,
	    sizeof(tmpl)) == -1)
		return -1;
	return find_one(roots, nroots, tmpl, out, len);
}

static int
by_name(const void *a, const void *b)
{
	const char *x = strrchr((const char *)a, '/'), *y =
	    strrchr((const char *)b, '/');

	return strcmp(x + 1, y + 1);
}

/* DIR's *.conf, a name not already seen, appended to PATHS. */
static int
add_dropins(const char *root, const char *dname, char (*paths)[PATH_MAX],
    size_t max, size_t *n)
{
	char dir[PATH_MAX];
	struct dirent *de;
	size_t len, i;
	DIR *d;
	int fd;

	if (snprintf(dir, sizeof(dir), "%s/%s", root, dname) >=
	    (int)sizeof(dir) || (d = opendir(dir)) == NULL)
		return 0;
	fd = dirfd(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".conf") != 0 ||
		    de->d_name[0] == '.' || !is_file(fd, de->d_name))
			continue;
		for (i = 0; i < *n; i++)
			if (strcmp(strrchr(paths[i], '/') + 1, de->d_name) == 0)
				break;
		if (i < *n)
			continue;	/* an earlier root's masks it */
		if (*n >= max || snprintf(paths[*n], PATH_MAX, "%s/%s", dir,
		    de->d_name) >= PATH_MAX) {
			closedir(d);
			errno = *n >= max ? E2BIG : ENAMETOOLONG;
			return -1;
		}
		(*n)++;
	}
	closedir(d);
	return 0;
}

/*
 * The unit names whose NAME.d/ a unit reads, most specific first, as
 * systemd goes through them in each unit directory: the name; for an
 * instance its template (and what follows from it); then the name's
 * prefix cut after its last dash (a-b-c.service: a-b-.service, then
 * a-.service), an instance's kept, each taken the same way. Appended to
 * NAMES from *N; -1 when they do not fit.
 */
#define DROPIN_NAMES_MAX	64	/* a name of 31 dashes, an instance */

static int
dropin_names(const char *name, char (*names)[UNIT_NAME_MAX], size_t *n)
{
	char cut[UNIT_NAME_MAX], built[UNIT_NAME_MAX + 8];
	struct unit_name u;
	const char *why;
	char *dash;
	size_t i;
	int chopped = 0;

	if (unit_name_parse(name, &u, &why) == -1)
		return 0;
	/* An instance's cuts meet its template's again (a-@.service from
	 * a-b@.service and from a-@i.service): each name once, where it
	 * came first, as a directory read twice adds nothing. */
	for (i = 0; i < *n; i++)
		if (strcmp(names[i], u.full) == 0)
			return 0;
	if (*n >= DROPIN_NAMES_MAX)
		return -1;
	strlcpy(names[(*n)++], u.full, UNIT_NAME_MAX);
	if (u.instance[0] != '\0' && (unit_template_of(&u, built,
	    sizeof(built)) == -1 || dropin_names(built, names, n) == -1))
		return -1;
	/* A trailing dash (a-b- from a-b-.service) is cut once more. */
	strlcpy(cut, u.prefix, sizeof(cut));
	for (;;) {
		if ((dash = strrchr(cut, '-')) == NULL || dash == cut)
			return 0;
		if (dash[1] != '\0' || chopped) {
			dash[1] = '\0';
			break;
		}
		*dash = '\0';
		chopped = 1;
	}
	if (snprintf(built, sizeof(built), "%s%s%s.%s", cut,
	    u.instance[0] != '\0' ? "@" : "", u.instance, u.type) >=
	    (int)sizeof(built))
		return 0;
	return dropin_names(built, names, n);
}

int
unit_dropins(const char *const *roots, size_t nroots,
    const struct unit_name *u, char (*paths)[PATH_MAX], size_t max)
{
	char names[DROPIN_NAMES_MAX][UNIT_NAME_MAX], dname[UNIT_NAME_MAX + 8];
	size_t n = 0, nnames = 0, i, k;

	if (roots == NULL) {
		roots = unit_search_paths;
		nroots = unit_nsearch_paths;
	}
	if (dropin_names(u->full, names, &nnames) == -1) {
		errno = E2BIG;
		return -1;
	}
	/* Directory by directory, the names in order: a file name met
	 * first masks the same name met later. Then the type's own
	 * (service.d/, every service's), after all, the least specific. */
	for (i = 0; i < nroots; i++)
		for (k = 0; k < nnames; k++) {
			snprintf(dname, sizeof(dname), "%s.d", names[k]);
			if (add_dropins(roots[i], dname, paths, max, &n) == -1)
				return -1;
		}
	snprintf(dname, sizeof(dname), "%s.d", u->type);
	for (i = 0; i < nroots; i++)
		if (add_dropins(roots[i], dname, paths, max, &n) == -1)
			return -1;
	qsort(paths, n, PATH_MAX, by_name);
	return (int)drop_masked(paths, n);
}
