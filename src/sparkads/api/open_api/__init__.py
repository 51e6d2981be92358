"""TikTok Marketing API v1.3 compatible surface (Spark subset): paths, parameters, envelope and
numeric codes as in shared/reference/tiktok-api-v1.3-spark-subset.md."""
