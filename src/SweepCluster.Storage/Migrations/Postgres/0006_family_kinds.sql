-- 0006: the generalisation families (docs/generalisation.md) are kinds of cells and units of their own: repro,
-- gl, bound and molrg, beside sim and theory. A family cell computes one grid point of its family, simulation and
-- theory together, so it is neither of the two older kinds. Only the CHECK constraints change; no row moves.
ALTER TABLE cells DROP CONSTRAINT cells_kind_check,
    ADD CONSTRAINT cells_kind_check CHECK (kind IN ('sim', 'theory', 'repro', 'gl', 'bound', 'molrg'));
ALTER TABLE units DROP CONSTRAINT units_kind_check,
    ADD CONSTRAINT units_kind_check CHECK (kind IN ('sim', 'theory', 'repro', 'gl', 'bound', 'molrg'));
