-- The district command centre (区指挥中心, docs/district.md): an escalated case stays ESCALATED
-- while the district works on it; these columns say how far it got. district_stage: NULL = waiting
-- in the district's queue, ACCEPTED = the district took it, ASSIGNED = a district department
-- (V25) handles it (its handler as the case's assignee, its deadline as step_due_at). The district
-- returning a case, or resolving it, clears both.
ALTER TABLE incident
    ADD COLUMN district_stage text CHECK (district_stage IN ('ACCEPTED', 'ASSIGNED')),
    ADD COLUMN district_department text REFERENCES department (code),
    ADD CONSTRAINT incident_district_department_assigned
        CHECK (district_department IS NULL OR district_stage = 'ASSIGNED');

-- The district's queue: escalated cases oldest first (few rows; partial).
CREATE INDEX incident_escalated_idx ON incident (updated_at) WHERE status = 'ESCALATED';
