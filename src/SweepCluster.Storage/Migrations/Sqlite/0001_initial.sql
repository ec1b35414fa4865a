-- 0001: the embedded store's first schema.
-- Times are seconds since the Unix epoch by the database clock (REAL), never a node's clock.
-- States and kinds are stored as text: unit states as in UnitStates, kinds as in CellKindNames /
-- UnitKindNames, result statuses as in ResultStatusNames. STRICT makes SQLite enforce the column types.

CREATE TABLE sweeps (
    id          TEXT NOT NULL PRIMARY KEY,
    grid_hash   TEXT NOT NULL,
    grid_text   TEXT NOT NULL,
    created_at  REAL NOT NULL,
    finished_at REAL
) STRICT;

-- A cell's id hashes its canonical parameters and the model version, so a cell used by several sweeps
-- is one row and is computed once.
CREATE TABLE cells (
    id        TEXT NOT NULL PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('sim', 'theory')),
    group_key TEXT NOT NULL,
    params    TEXT NOT NULL
) STRICT;

CREATE TABLE sweep_cells (
    sweep_id TEXT NOT NULL REFERENCES sweeps (id),
    cell_id  TEXT NOT NULL REFERENCES cells (id),
    PRIMARY KEY (sweep_id, cell_id)
) STRICT, WITHOUT ROWID;

-- Eigenvalue files by content hash, so a worker on another machine can rebuild a file spectrum.
CREATE TABLE spectra (
    hash TEXT NOT NULL PRIMARY KEY,
    text TEXT NOT NULL
) STRICT;

-- attempts counts claims and never goes down: (id, owner, attempts) is the fencing token of a lease, and
-- a token must never be handed out twice. retry-failed gives a fresh attempt budget by moving retry_base
-- up to attempts instead; the attempt limit applies to attempts - retry_base.
CREATE TABLE units (
    id               TEXT NOT NULL PRIMARY KEY,
    sweep_id         TEXT NOT NULL REFERENCES sweeps (id),
    kind             TEXT NOT NULL CHECK (kind IN ('sim', 'theory')),
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
    finished_at      REAL
) STRICT;

-- Claims walk this index in claim order (cost desc, id) and stop at the batch size: no sort and no visit
-- to the done units. SQLite uses a partial index only when the query repeats its WHERE term, so the claim
-- query spells "state IN ('pending', 'leased')" exactly like this.
CREATE INDEX units_claimable ON units (cost DESC, id) WHERE state IN ('pending', 'leased');

-- Progress counts by state per sweep.
CREATE INDEX units_sweep_state ON units (sweep_id, state);

-- A node's leases, for releasing them when it stops.
CREATE INDEX units_owner_leased ON units (owner) WHERE state = 'leased';

CREATE TABLE unit_cells (
    unit_id TEXT NOT NULL REFERENCES units (id),
    cell_id TEXT NOT NULL REFERENCES cells (id),
    PRIMARY KEY (unit_id, cell_id)
) STRICT, WITHOUT ROWID;

-- The checkpoint: the first result of a cell is the accepted one (insert-if-absent by cell id).
CREATE TABLE results (
    cell_id      TEXT NOT NULL PRIMARY KEY REFERENCES cells (id),
    status       TEXT NOT NULL CHECK (status IN ('ok', 'numerical_failure')),
    metrics_json TEXT NOT NULL,
    message      TEXT,
    duration_s   REAL NOT NULL,
    unit_id      TEXT NOT NULL REFERENCES units (id),
    node_id      TEXT NOT NULL,
    attempt      INTEGER NOT NULL,
    created_at   REAL NOT NULL
) STRICT;

-- A later result of a cell that differs from the accepted one. The statuses are kept beside the metrics
-- because two results can differ in status alone.
CREATE TABLE nondeterminism (
    id            INTEGER PRIMARY KEY,
    cell_id       TEXT NOT NULL REFERENCES cells (id),
    unit_id       TEXT NOT NULL REFERENCES units (id),
    node_id       TEXT NOT NULL,
    attempt       INTEGER NOT NULL,
    first_status  TEXT NOT NULL,
    first_json    TEXT NOT NULL,
    second_status TEXT NOT NULL,
    second_json   TEXT NOT NULL,
    at            REAL NOT NULL
) STRICT;

CREATE INDEX nondeterminism_cell ON nondeterminism (cell_id);

CREATE TABLE nodes (
    id           TEXT NOT NULL PRIMARY KEY,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    slots        INTEGER NOT NULL,
    role         TEXT NOT NULL,
    started_at   REAL NOT NULL,
    heartbeat_at REAL NOT NULL,
    stopped_at   REAL,
    units_done   INTEGER NOT NULL DEFAULT 0,
    cells_done   INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The append-only journal. AUTOINCREMENT so that a sequence number is never reused, even after the
-- newest rows are deleted by hand: readers may remember the last one they saw.
-- No foreign keys: an audit line must never be refused.
CREATE TABLE events (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    at       REAL NOT NULL,
    kind     TEXT NOT NULL,
    sweep_id TEXT,
    unit_id  TEXT,
    node_id  TEXT,
    attempt  INTEGER,
    detail   TEXT
) STRICT;

CREATE INDEX events_sweep ON events (sweep_id, seq);
