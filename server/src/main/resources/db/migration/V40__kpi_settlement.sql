-- Monthly settlement of the assessment figures (月度考核结算), issue #20, docs/assessment.md.
--
-- A year's KPIs read every case of the year and its events: about 80 s for a district of
-- 20 million cases, past the server's statement timeout. Assessment is settled by the month: once a
-- month is over (and the days allowed for ratings and callbacks have passed), its figures are
-- computed once and kept here, per kind of unit, subdistrict and unit, as the sums they are made of
-- (never the rates, so months add up exactly; handling times as a histogram of working minutes, so
-- the mean and the 90th percentile of any run of months are exact). A period's KPIs are the sum of
-- its settled months and a live computation of the others.
CREATE TABLE kpi_settled_month (
    month      date        PRIMARY KEY CHECK (extract(day FROM month) = 1),
    zone       text        NOT NULL, -- the time zone the month's bounds were taken in
    cases      bigint      NOT NULL CHECK (cases >= 0),
    settled_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE kpi_settlement (
    month          date   NOT NULL REFERENCES kpi_settled_month (month) ON DELETE CASCADE,
    unit_kind      text   NOT NULL CHECK (unit_kind IN ('WORKER', 'GRID', 'LEADER', 'PLATFORM', 'AGENCY',
                                                        'SOURCE', 'SUBDISTRICT')),
    subdistrict_id bigint, -- the cases' subdistrict; null: the district's own cases
    unit           text   NOT NULL,
    tally          jsonb  NOT NULL,
    CONSTRAINT kpi_settlement_key UNIQUE NULLS NOT DISTINCT (month, unit_kind, subdistrict_id, unit)
);

-- A settlement is an administrative act that changes what the KPIs answer: the admin log keeps
-- who settled which month (kind 'kpi'), beside the kinds allowed so far (V18, V29; AdminLog.KINDS).
ALTER TABLE admin_log DROP CONSTRAINT admin_log_kind_check;
ALTER TABLE admin_log ADD CONSTRAINT admin_log_kind_check
    CHECK (kind IN ('staff', 'reference', 'roster', 'accountability', 'kpi'));
