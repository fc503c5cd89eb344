-- The grid plan in effect at an instant (now by default). A plan adopted for a future date is
-- already ACTIVE while the current one still runs, so "status = 'ACTIVE'" is not the answer.
CREATE FUNCTION plan_in_effect(at timestamptz DEFAULT now()) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT id FROM grid_plan
    WHERE status <> 'DRAFT' AND effective_from <= at AND (effective_to IS NULL OR effective_to > at)
$$;
