"""S2: the photovoltaic sales force — telephone and field queues, generated call and
meeting schedules, outcomes fed back to the pipeline."""
