-- 0006: the generalisation families (docs/generalisation.md) are kinds of cells and units of their own: repro,
-- gl, bound and molrg, beside sim and theory. A family cell computes one grid point of its family, simulation and
-- theory together, so it is neither of the two older kinds.
-- SQLite cannot change a CHECK constraint in place, so cells and units are rebuilt by the procedure of SQLite's
-- ALTER TABLE documentation: new table, copy, drop, rename, indexes again. It needs foreign keys off, which
-- SqliteSweepStore arranges for every migration; the rows are copied unchanged, so every reference still holds.
CREATE TABLE cells_0006 (
    id        TEXT NOT NULL PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('sim', 'theory', 'repro', 'gl', 'bound', 'molrg')),
    group_key TEXT NOT NULL,
    params    TEXT NOT NULL
) STRICT;
INSERT INTO cells_0006 (id, kind, group_key, params) SELECT id, kind, group_key, params FROM cells;
DROP TABLE cells;
ALTER TABLE cells_0006 RENAME TO cells;

CREATE TABLE units_0006 (
    id               TEXT NOT NULL PRIMARY KEY,
    sweep_id         TEXT NOT NULL REFERENCES sweeps (id),
    kind             TEXT NOT NULL CHECK (kind IN ('sim', 'theory', 'repro', 'gl', 'bound', 'molrg')),
    group_key        TEXT NOT NULL,
    cost             REAL NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'leased', 'done', 'failed')),
    owner            TEXT,
    lease_expires_at REAL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    retry_base       INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    next_attempt_at  REAL NOT NULL DEFAULT 0,
    created_at       REAL NOT NULL,
    started_at       REAL,
    finished_at      REAL,
    compute_s        REAL
) STRICT;
INSERT INTO units_0006 (id, sweep_id, kind, group_key, cost, state, owner, lease_expires_at, attempts, retry_base,
                        last_error, next_attempt_at, created_at, started_at, finished_at, compute_s)
SELECT id, sweep_id, kind, group_key, cost, state, owner, lease_expires_at, attempts, retry_base,
       last_error, next_attempt_at, created_at, started_at, finished_at, compute_s FROM units;
DROP TABLE units;
ALTER TABLE units_0006 RENAME TO units;

-- The indexes of 0001 went with the old table.
CREATE INDEX units_claimable ON units (cost DESC, id) WHERE state IN ('pending', 'leased');
CREATE INDEX units_sweep_state ON units (sweep_id, state);
CREATE INDEX units_owner_leased ON units (owner) WHERE state = 'leased';
