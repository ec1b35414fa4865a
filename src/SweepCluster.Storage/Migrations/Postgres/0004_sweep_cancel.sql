-- 0004: `sweep cancel`; the same column and meaning as Migrations/Sqlite/0004_sweep_cancel.sql. A cancelled sweep
-- keeps its rows, the coordinator hands out no unit of it, and a new submit of the same grid clears the mark.

ALTER TABLE sweeps ADD COLUMN cancelled_at double precision;
