-- 0005: the seconds a unit's computation took (the sum of its cells' duration_s as the worker measured them),
-- written when the unit is marked done. started_at..finished_at also holds the time a unit waited in a worker's
-- claim-ahead queue and its commit; the ETA's model of unit times needs the computation alone. NULL for units
-- finished before this version, and for units marked done without results of their own.
ALTER TABLE units ADD COLUMN compute_s REAL;
