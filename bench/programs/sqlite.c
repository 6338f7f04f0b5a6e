/*
 * SQLite through its C interface (the amalgamation that make builds for
 * build/apps/sqlite3.elf, linked in by bench/sqlite.list), on a database
 * file in directory argv[2] (made if missing; a tmpfs on both sides): each
 * run creates a table, inserts argv[3] rows in one transaction through a
 * prepared statement, indexes a column, looks up every tenth row by that
 * column, and sums over the table 20 times, then removes the file. Runs
 * argv[1] times and prints each run's rates as "bench NAME VALUE UNIT"
 * lines (bench/like.sh).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static sqlite3 *db;

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* exec: runs sql; 0, or 1 after saying why not. */
static int
exec(const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK)
		return 0;
	fprintf(stderr, "sqlite: %s: %s\n", sql, err);
	sqlite3_free(err);
	return 1;
}

/* step: runs st to its end, i bound to its parameter if it has one; the
 * sum of its first column over the rows; -1 on failure. */
static long
step(sqlite3_stmt *st, long i)
{
	long sum = 0;
	int rc;

	sqlite3_reset(st);
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, i);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		sum += sqlite3_column_int64(st, 0);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
		return -1;
	}
	return sum;
}

/* once: one run on the database at path, of rows rows. */
static int
once(const char *path, long rows)
{
	sqlite3_stmt *ins, *get, *sum;

	unlink(path);
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		fprintf(stderr, "sqlite: %s: %s\n", path, sqlite3_errmsg(db));
		return 1;
	}
	if (exec("CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, "
		 "v TEXT)") ||
	    sqlite3_prepare_v2(
		    db,
		    "INSERT INTO t(k, v) VALUES (?1 * 7919 % 100003, "
		    "printf('value-%d', ?1))",
		    -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id FROM t WHERE k = ?1", -1, &get,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT sum(length(v)) FROM t", -1, &sum,
			       NULL) != SQLITE_OK) {
		fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	double t0 = now();
	if (exec("BEGIN"))
		return 1;
	for (long i = 0; i < rows; i++)
		if (step(ins, i) < 0)
			return 1;
	if (exec("COMMIT"))
		return 1;
	double t1 = now();
	if (exec("CREATE INDEX t_k ON t(k)"))
		return 1;
	double t2 = now();
	for (long i = 0; i < rows; i += 10)
		if (step(get, i * 7919 % 100003) < 0)
			return 1;
	double t3 = now();
	for (int i = 0; i < 20; i++)
		if (step(sum, 0) < 0)
			return 1;
	double t4 = now();
	sqlite3_finalize(ins);
	sqlite3_finalize(get);
	sqlite3_finalize(sum);
	sqlite3_close(db);
	unlink(path);
	printf("bench sqlite-insert %.0f rows/s\n", rows / (t1 - t0));
	printf("bench sqlite-index %.0f rows/s\n", rows / (t2 - t1));
	printf("bench sqlite-lookup %.0f lookups/s\n", rows / 10 / (t3 - t2));
	printf("bench sqlite-scan %.0f rows/s\n", rows * 20 / (t4 - t3));
	return 0;
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	long rows = argc > 3 ? atol(argv[3]) : 20000;
	char path[512];

	mkdir(dir, 0777);
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	for (int r = 0; r < runs; r++)
		if (once(path, rows))
			return 1;
	return 0;
}
