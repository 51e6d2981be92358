"""What sparkads knows about viewers, from the traffic it has actually received.

Every feed decision request is written (sampled, buffered, flushed in batches off the decision
path) to a traffic log, and every viewer it describes to a profile under a keyed hash of its id
(`intake.py`, `models.py`). Audience sizes, lookalikes, creator audience statistics and forecasts
read those (`store.py`, `forecast.py`), in every mode: with no traffic, they say there is no basis.

May import: events, delivery, campaigns, audiences, posts, accounts, foundation.
"""
