-- 0004: `sweep cancel`. A cancelled sweep keeps its rows (what was computed stays, and `sweep run`/`submit` of the
-- same grid resumes it, clearing the mark); the coordinator hands out no unit of a sweep with cancelled_at set.
-- Unit states are left as they were: pending units of a cancelled sweep stay pending, so a resume needs no rewrite.

ALTER TABLE sweeps ADD COLUMN cancelled_at REAL;
