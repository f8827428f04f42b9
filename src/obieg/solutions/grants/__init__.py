"""S3: a business-support institution (IOB) — cooperation contracts with payment schedules,
grant applications, payment claims (wnioski o płatność) and the durability period."""
