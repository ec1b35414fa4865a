-- 0001: the cluster store's first schema; the same tables and meanings as Migrations/Sqlite/0001_initial.sql.
-- Times are seconds since the Unix epoch by the database clock (double precision), never a node's clock.
-- States and kinds are stored as text: unit states as in UnitStates, kinds as in CellKindNames /
-- UnitKindNames, result statuses as in ResultStatusNames.
-- Every id column is COLLATE "C": ids then compare and sort byte by byte, as they do in SQLite and in
-- .NET's ordinal comparison, whatever collation the database was created with (en_US would put '-' and
-- letters in another order, and claims and cell listings must come out in the same order on both stores).
-- Tables are created in the first schema of the connection's search_path, so a deployment (or a test) can
-- keep a store in a schema of its own.

CREATE TABLE sweeps (
    id          text COLLATE "C" NOT NULL PRIMARY KEY,
    grid_hash   text NOT NULL,
    grid_text   text NOT NULL,
    created_at  double precision NOT NULL,
    finished_at double precision
);

-- A cell's id hashes its canonical parameters and the model version, so a cell used by several sweeps
-- is one row and is computed once.
CREATE TABLE cells (
    id        text COLLATE "C" NOT NULL PRIMARY KEY,
    kind      text NOT NULL CHECK (kind IN ('sim', 'theory')),
    group_key text NOT NULL,
    params    text NOT NULL
);

CREATE TABLE sweep_cells (
    sweep_id text COLLATE "C" NOT NULL REFERENCES sweeps (id),
    cell_id  text COLLATE "C" NOT NULL REFERENCES cells (id),
    PRIMARY KEY (sweep_id, cell_id)
);

-- Eigenvalue files by content hash, so a worker on another machine can rebuild a file spectrum.
CREATE TABLE spectra (
    hash text COLLATE "C" NOT NULL PRIMARY KEY,
    text text NOT NULL
);

-- attempts counts claims and never goes down: (id, owner, attempts) is the fencing token of a lease, and
-- a token must never be handed out twice. retry-failed gives a fresh attempt budget by moving retry_base
-- up to attempts instead; the attempt limit applies to attempts - retry_base.
CREATE TABLE units (
    id               text COLLATE "C" NOT NULL PRIMARY KEY,
    sweep_id         text COLLATE "C" NOT NULL REFERENCES sweeps (id),
    kind             text NOT NULL CHECK (kind IN ('sim', 'theory')),
    group_key        text NOT NULL,
    cost             double precision NOT NULL,
    state            text NOT NULL CHECK (state IN ('pending', 'leased', 'done', 'failed')),
    owner            text COLLATE "C",
    lease_expires_at double precision,
    attempts         integer NOT NULL DEFAULT 0,
    retry_base       integer NOT NULL DEFAULT 0,
    last_error       text,
    next_attempt_at  double precision NOT NULL DEFAULT 0,
    created_at       double precision NOT NULL,
    started_at       double precision,
    finished_at      double precision
);

-- Claims walk this index in claim order (cost desc, id) and stop once the batch is locked: no sort and no
-- visit to the done units. PostgreSQL uses a partial index only when the query's WHERE implies the index's,
-- so the claim query spells "state IN ('pending', 'leased')" exactly like this.
CREATE INDEX units_claimable ON units (cost DESC, id) WHERE state IN ('pending', 'leased');

-- Progress counts by state per sweep.
CREATE INDEX units_sweep_state ON units (sweep_id, state);

-- A node's leases, for releasing them when it stops.
CREATE INDEX units_owner_leased ON units (owner) WHERE state = 'leased';

CREATE TABLE unit_cells (
    unit_id text COLLATE "C" NOT NULL REFERENCES units (id),
    cell_id text COLLATE "C" NOT NULL REFERENCES cells (id),
    PRIMARY KEY (unit_id, cell_id)
);

-- The checkpoint: the first result of a cell is the accepted one (insert-if-absent by cell id).
CREATE TABLE results (
    cell_id      text COLLATE "C" NOT NULL PRIMARY KEY REFERENCES cells (id),
    status       text NOT NULL CHECK (status IN ('ok', 'numerical_failure')),
    metrics_json text NOT NULL,
    message      text,
    duration_s   double precision NOT NULL,
    unit_id      text COLLATE "C" NOT NULL REFERENCES units (id),
    node_id      text COLLATE "C" NOT NULL,
    attempt      integer NOT NULL,
    created_at   double precision NOT NULL
);

-- A later result of a cell that differs from the accepted one. The statuses are kept beside the metrics
-- because two results can differ in status alone.
CREATE TABLE nondeterminism (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cell_id       text COLLATE "C" NOT NULL REFERENCES cells (id),
    unit_id       text COLLATE "C" NOT NULL REFERENCES units (id),
    node_id       text COLLATE "C" NOT NULL,
    attempt       integer NOT NULL,
    first_status  text NOT NULL,
    first_json    text NOT NULL,
    second_status text NOT NULL,
    second_json   text NOT NULL,
    at            double precision NOT NULL
);

CREATE INDEX nondeterminism_cell ON nondeterminism (cell_id);

CREATE TABLE nodes (
    id           text COLLATE "C" NOT NULL PRIMARY KEY,
    host         text NOT NULL,
    pid          integer NOT NULL,
    slots        integer NOT NULL,
    role         text NOT NULL,
    started_at   double precision NOT NULL,
    heartbeat_at double precision NOT NULL,
    stopped_at   double precision,
    units_done   integer NOT NULL DEFAULT 0,
    cells_done   integer NOT NULL DEFAULT 0
);

-- The append-only journal. An identity column never reuses a number, even after rows are deleted by hand.
-- Unlike SQLite's single writer, concurrent transactions here draw their numbers before they commit, so a
-- lower seq can become visible after a higher one: order by seq to read a sweep's story, but do not poll
-- "seq > last seen" and expect to see every line.
-- No foreign keys: an audit line must never be refused.
CREATE TABLE events (
    seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       double precision NOT NULL,
    kind     text NOT NULL,
    sweep_id text COLLATE "C",
    unit_id  text COLLATE "C",
    node_id  text COLLATE "C",
    attempt  integer,
    detail   text
);

CREATE INDEX events_sweep ON events (sweep_id, seq);
