output "network_name" {
  description = "Docker network the services share."
  value       = docker_network.platform.name
}

output "postgres_container" {
  description = "Name of the Postgres container."
  value       = docker_container.postgres.name
}

output "redis_container" {
  description = "Name of the Redis container."
  value       = docker_container.redis.name
}

output "postgres_port" {
  description = "Port on 127.0.0.1 that reaches Postgres (null when not published)."
  value       = var.postgres_port
}

output "redis_port" {
  description = "Port on 127.0.0.1 that reaches Redis (null when not published)."
  value       = var.redis_port
}

output "database_url" {
  description = "Connection URL of the application database, password included."
  value       = "postgresql://${var.postgres_user}:${var.postgres_password}@127.0.0.1:${coalesce(var.postgres_port, 5432)}/${var.postgres_db}"
  sensitive   = true
}

output "redis_url" {
  description = "Connection URL of Redis, password included."
  value       = "redis://:${var.redis_password}@127.0.0.1:${coalesce(var.redis_port, 6379)}/0"
  sensitive   = true
}
