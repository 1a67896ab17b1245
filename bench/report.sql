-- bench/report.sql: the aggregate queries behind `ssj report`, as the
-- sqlite3 shell runs them: the baseline of bench/report. The same
-- tables, the same joins (enterprises and inspectors as of each draw's
-- snapshot), grouped per draw and over the whole period; the output is
-- thrown away, as ssj's HTML is not compared with it.

-- the batches, their attempts, aborts and ledger entries
SELECT c.batch, c.id, d.id, c.plan_version, c.snapshot, c.beacon_round,
       c.created_at, d.drawn_at, d.reveals, d.seed, c.year,
       (SELECT idx FROM ledger WHERE event = 'draw' AND ref = d.id),
       (SELECT count(*) FROM attempt a JOIN commitment o ON o.id = a.commitment
        WHERE o.batch = c.batch),
       (SELECT count(*) FROM attempt a JOIN commitment o ON o.id = a.commitment
        WHERE o.batch = c.batch AND a.kind = 'abort')
FROM commitment c JOIN draw d ON d.commitment = c.id ORDER BY d.drawn_at;

-- coverage: the strata of each draw
SELECT id, strata FROM draw;

-- where: per draw and over the period, by division and by industry
CREATE TEMP TABLE target AS
SELECT s.draw,
       (SELECT division FROM enterprise_rev e WHERE e.uscc = s.uscc
        AND e.snapshot <= c.snapshot ORDER BY e.snapshot DESC LIMIT 1) AS division,
       (SELECT industry FROM enterprise_rev e WHERE e.uscc = s.uscc
        AND e.snapshot <= c.snapshot ORDER BY e.snapshot DESC LIMIT 1) AS industry
FROM selection s JOIN draw d ON d.id = s.draw JOIN commitment c ON c.id = d.commitment;
SELECT draw, division, count(*) FROM target GROUP BY 1, 2;
SELECT draw, industry, count(*) FROM target GROUP BY 1, 2;
SELECT division, count(*) FROM target GROUP BY 1 ORDER BY 2 DESC;
SELECT industry, count(*) FROM target GROUP BY 1 ORDER BY 2 DESC;

-- who: each inspector's load and department, per draw and overall
CREATE TEMP TABLE load AS
SELECT t.draw, t.credential, count(*) AS n,
       (SELECT department FROM inspector_rev i WHERE i.credential = t.credential
        AND i.snapshot <= c.snapshot ORDER BY i.snapshot DESC LIMIT 1) AS department
FROM current_team t JOIN draw d ON d.id = t.draw
JOIN commitment c ON c.id = d.commitment GROUP BY t.draw, t.credential;
SELECT draw, n, count(*) FROM load GROUP BY 1, 2;
SELECT n, count(*) FROM (SELECT credential, sum(n) AS n FROM load GROUP BY 1) GROUP BY 1;
SELECT draw, department, count(*), sum(n) FROM load GROUP BY 1, 2;
SELECT department, count(DISTINCT credential), sum(n) FROM load GROUP BY 1;
SELECT draw, reason, count(*) FROM replacement GROUP BY 1, 2;

-- what was found, and when it was published
SELECT r.draw, r.item, r.result, r.department, r.completed, s.stratum,
       (SELECT min(u.published_at) FROM published p JOIN publication u
        ON u.id = p.publication WHERE u.draw = r.draw AND p.uscc = r.uscc
        AND p.upto >= r.id)
FROM result r JOIN selection s ON s.draw = r.draw AND s.uscc = r.uscc;
SELECT s.draw, count(*) FROM selection s WHERE NOT EXISTS
    (SELECT 1 FROM result_rev x WHERE x.draw = s.draw AND x.uscc = s.uscc)
GROUP BY 1;
