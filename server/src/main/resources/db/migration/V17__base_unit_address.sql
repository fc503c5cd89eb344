-- Onboarding an area (issue #16): a base unit's address (门牌/小区地址) as the municipal GIS
-- file gives it, read by the unit import (property 'address'); none for the demo's units.
ALTER TABLE base_unit ADD COLUMN address text;
