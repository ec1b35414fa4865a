-- 0003: what `sweep status` shows about the cluster. Every node of a running cluster writes one row about itself
-- every second: its address, roles, its membership status as it sees it, the members it currently finds
-- unreachable, and its work (slots, units and cells done since it started). A node that exits cleanly deletes
-- its row; one that dies stops refreshing it, and readers show it as unreachable, then forget it.
-- This replaces the `nodes` table of the first version's lease engine, which nothing writes any more (it stays
-- so that a store of that version opens unchanged).

CREATE TABLE cluster_members (
    address      TEXT NOT NULL PRIMARY KEY,
    node_id      TEXT NOT NULL,
    roles        TEXT NOT NULL,
    status       TEXT NOT NULL,
    unreachable  TEXT NOT NULL,
    slots        INTEGER NOT NULL,
    units_done   INTEGER NOT NULL,
    cells_done   INTEGER NOT NULL,
    started_at   REAL NOT NULL,
    refreshed_at REAL NOT NULL
) STRICT;
