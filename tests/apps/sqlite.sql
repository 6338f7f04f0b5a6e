-- tests/apps/sqlite.sh: what the sqlite3 shell runs on Xen and on the host:
-- tables, 100,000 rows inserted in transactions, indexes, joins,
-- aggregates, a rollback, VACUUM and an integrity check.
.headers on
.mode list
PRAGMA journal_mode=DELETE;
CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT NOT NULL, region TEXT, created INTEGER);
CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER REFERENCES customers(id), amount REAL, item TEXT, qty INTEGER);
BEGIN;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000)
INSERT INTO customers SELECT x, 'customer-' || x, CASE x % 5 WHEN 0 THEN 'north' WHEN 1 THEN 'south' WHEN 2 THEN 'east' WHEN 3 THEN 'west' ELSE 'central' END, 1600000000 + x * 3600 FROM c;
COMMIT;
BEGIN;
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 50000)
INSERT INTO orders SELECT x, 1 + (x * 7919) % 2000, round(((x * 104729) % 100000) / 100.0, 2), 'item-' || (x % 97), 1 + x % 9 FROM c;
COMMIT;
BEGIN;
WITH RECURSIVE c(x) AS (SELECT 50001 UNION ALL SELECT x + 1 FROM c WHERE x < 100000)
INSERT INTO orders SELECT x, 1 + (x * 7919) % 2000, round(((x * 104729) % 100000) / 100.0, 2), 'item-' || (x % 97), 1 + x % 9 FROM c;
COMMIT;
CREATE INDEX orders_customer ON orders(customer);
CREATE INDEX orders_item ON orders(item, qty);
SELECT count(*) AS orders, sum(qty) AS items, round(sum(amount), 2) AS total FROM orders;
SELECT c.region, count(*) AS n, round(avg(o.amount), 4) AS avg_amount, max(o.amount) AS biggest
  FROM orders o JOIN customers c ON c.id = o.customer GROUP BY c.region ORDER BY c.region;
SELECT c.name, count(o.id) AS n, round(sum(o.amount * o.qty), 2) AS spent
  FROM customers c JOIN orders o ON o.customer = c.id
  GROUP BY c.id ORDER BY spent DESC, c.name LIMIT 5;
SELECT item, sum(qty) AS q FROM orders WHERE item IN ('item-3', 'item-42', 'item-96') GROUP BY item ORDER BY item;
BEGIN;
DELETE FROM orders WHERE amount < 500;
SELECT count(*) AS left_in_transaction FROM orders;
ROLLBACK;
SELECT count(*) AS after_rollback FROM orders;
DELETE FROM orders WHERE id % 3 = 0;
UPDATE customers SET region = upper(region) WHERE id % 7 = 0;
SELECT region, count(*) FROM customers GROUP BY region ORDER BY region;
VACUUM;
PRAGMA integrity_check;
SELECT count(*) AS orders, round(sum(amount), 2) AS total FROM orders;
SELECT group_concat(id, ',') FROM (SELECT id FROM orders ORDER BY amount DESC, id LIMIT 10);
