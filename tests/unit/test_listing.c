/*
 * The window of names behind `svx status --all` (adapters/engine/names.c): pass
 * after pass over the same names, in any order, every name comes out
 * once, in strcmp's order, whatever the window's bounds.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../adapters/engine/names.h"

#define MANY	20000

static struct name_window win;
static char names[MANY][NAME_MAX + 1];
static const char *in[MANY];
static char out[MANY][NAME_MAX + 1];

struct run {
	size_t	 nout;
	size_t	 passes;
	size_t	 widest;	/* the largest window */
	int	 compacted;	/* names moved to the other arena */
};

/* Passes over in[0..n) until no name is left out, as listing_all does. */
static struct run
run(size_t n, size_t cap, size_t bytes)
{
	struct run r = { 0, 0, 0, 0 };
	size_t i, k;
	int more, first_arena;

	name_window_init(&win, cap, bytes);
	first_arena = win.cur;
	do {
		name_window_begin(&win);
		for (i = 0; i < n; i++)
			name_window_offer(&win, in[i], i, (unsigned char)(i % 7));
		k = name_window_end(&win, &more);
		r.compacted |= win.cur != first_arena;
		r.passes++;
		if (k > r.widest)
			r.widest = k;
		for (i = 0; i < k; i++) {
			assert_true(r.nout < MANY);
			/* What came with the name stays with it. */
			assert_string_equal(win.e[i].name, in[win.e[i].ino]);
			assert_int_equal(win.e[i].type, win.e[i].ino % 7);
			strcpy(out[r.nout++], win.e[i].name);
		}
	} while (more && k > 0);
	return r;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* out[] is in[] sorted, each name once. */
static void
assert_sorted_once(size_t n, const struct run *r)
{
	static const char *want[MANY];
	size_t i;

	assert_int_equal(r->nout, n);
	memcpy(want, in, n * sizeof(in[0]));
	qsort(want, n, sizeof(want[0]), cmp);
	for (i = 0; i < n; i++) {
		assert_string_equal(out[i], want[i]);
		if (i > 0)
			assert_true(strcmp(out[i - 1], out[i]) < 0);
	}
}

enum order { ASCENDING, DESCENDING, SHUFFLED };

/* N names "sI" (so "s10" < "s2", as strcmp has it) in ORDER. */
static void
make_names(size_t n, enum order order)
{
	size_t i, j;
	const char *t;
	uint32_t x = 12345;

	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "s%zu", i);
		in[i] = names[order == DESCENDING ? n - 1 - i : i];
	}
	if (order != SHUFFLED)
		return;
	for (i = n; i-- > 1;) {
		x = x * 1103515245u + 12345u;
		j = (x >> 8) % (i + 1);
		t = in[i];
		in[i] = in[j];
		in[j] = t;
	}
}

static void
test_three_windows(void **state)
{
	static const char *const five[] = { "d", "b", "e", "a", "c" };
	struct run r;

	(void)state;
	memcpy(in, five, sizeof(five));
	r = run(5, 2, WINDOW_BYTES);
	assert_int_equal(r.passes, 3);
	assert_sorted_once(5, &r);
}

static void
test_empty(void **state)
{
	int more = 1;

	(void)state;
	name_window_init(&win, WINDOW_NAMES, WINDOW_BYTES);
	name_window_begin(&win);
	assert_int_equal(name_window_end(&win, &more), 0);
	assert_int_equal(more, 0);
}

/* Exactly one window's worth: one pass, nothing left out. */
static void
test_one_full_window(void **state)
{
	struct run r;

	(void)state;
	make_names(WINDOW_NAMES, SHUFFLED);
	r = run(WINDOW_NAMES, WINDOW_NAMES, WINDOW_BYTES);
	assert_int_equal(r.passes, 1);
	assert_sorted_once(WINDOW_NAMES, &r);
}

static void
test_every_order_and_size(void **state)
{
	static const size_t caps[] = { 1, 2, 7, 64, 1000 };
	static const enum order orders[] = { ASCENDING, DESCENDING, SHUFFLED };
	size_t c, o, n = 2000;
	struct run r;

	(void)state;
	for (o = 0; o < 3; o++)
		for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
			make_names(n, orders[o]);
			r = run(n, caps[c], WINDOW_BYTES);
			assert_sorted_once(n, &r);
			assert_int_equal(r.passes, (n + caps[c] - 1) / caps[c]);
			assert_true(r.widest <= caps[c]);
		}
}

/* The sizes status --all must take: 20,000 names in 5 windows of 4096, in any order;
 * largest first pushes every name out in turn (the arena compacted). */
static void
test_twenty_thousand(void **state)
{
	static const enum order orders[] = { ASCENDING, DESCENDING, SHUFFLED };
	size_t o;
	struct run r;

	(void)state;
	for (o = 0; o < 3; o++) {
		make_names(MANY, orders[o]);
		r = run(MANY, WINDOW_NAMES, WINDOW_BYTES);
		assert_sorted_once(MANY, &r);
		assert_int_equal(r.passes, 5);
		if (orders[o] == DESCENDING)
			assert_true(r.compacted);
	}
}

/* Long names: the window is bounded by bytes too, and a name of NAME_MAX
 * still fits a window bounded below that. */
static void
test_bounded_by_bytes(void **state)
{
	size_t i, n = 300;
	struct run r;

	(void)state;
	make_names(n, SHUFFLED);
	for (i = 0; i < n; i++) {
		memset(names[i] + strlen(names[i]), 'x',
		    (i % 3 == 0 ? NAME_MAX : 100) - strlen(names[i]));
		names[i][i % 3 == 0 ? NAME_MAX : 100] = '\0';
	}
	r = run(n, WINDOW_NAMES, 1000);
	assert_sorted_once(n, &r);
	assert_true(r.widest <= 1000 / 101);
	r = run(n, WINDOW_NAMES, 1);
	assert_sorted_once(n, &r);
	assert_true(r.widest <= 2);
}

/* A name the last window gave out, offered again (the directory changed
 * between passes): not given twice. */
static void
test_not_twice(void **state)
{
	int more;

	(void)state;
	name_window_init(&win, 1, WINDOW_BYTES);
	name_window_begin(&win);
	name_window_offer(&win, "b", 0, 0);
	name_window_offer(&win, "a", 0, 0);
	assert_int_equal(name_window_end(&win, &more), 1);
	assert_string_equal(win.e[0].name, "a");
	assert_int_equal(more, 1);
	name_window_begin(&win);
	name_window_offer(&win, "a", 0, 0);
	name_window_offer(&win, "0", 0, 0);	/* new, before the last */
	name_window_offer(&win, "b", 0, 0);
	assert_int_equal(name_window_end(&win, &more), 1);
	assert_string_equal(win.e[0].name, "b");
	assert_int_equal(more, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_windows),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_one_full_window),
		cmocka_unit_test(test_every_order_and_size),
		cmocka_unit_test(test_twenty_thousand),
		cmocka_unit_test(test_bounded_by_bytes),
		cmocka_unit_test(test_not_twice),
	};

	return cmocka_run_group_tests_name("listing", tests, NULL, NULL);
}
