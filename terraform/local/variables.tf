variable "project_name" {
  description = "Prefix of every Docker object this stack makes (network, volumes, containers)."
  type        = string
  default     = "interviewops"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.project_name))
    error_message = "The project_name must be 2-41 lowercase letters, digits or '-'."
  }
}

variable "environment" {
  description = "Environment label (local, staging, production) put on every object."
  type        = string
  default     = "local"
}

variable "docker_host" {
  description = "Docker engine endpoint."
  type        = string
  default     = "unix:///var/run/docker.sock"
}

variable "network_subnet" {
  description = "Subnet of the platform network; null lets Docker choose one."
  type        = string
  default     = null
}

variable "postgres_image" {
  description = "Local Postgres image with pgvector (never pulled: it must exist on the engine)."
  type        = string
  default     = "interviewops/postgres:17"
}

variable "redis_image" {
  description = "Local Redis image (never pulled: it must exist on the engine)."
  type        = string
  default     = "interviewops/redis:7"
}

variable "postgres_db" {
  description = "Database created on first start."
  type        = string
  default     = "interviewops"
}

variable "postgres_user" {
  description = "Owner of postgres_db."
  type        = string
  default     = "interviewops"
}

variable "postgres_password" {
  description = "Password of postgres_user. No default: put it in an untracked terraform.tfvars or pass it in."
  type        = string
  sensitive   = true

  validation {
    condition     = length(var.postgres_password) >= 12
    error_message = "The postgres_password must be at least 12 characters long."
  }
}

variable "redis_password" {
  description = "Password Redis requires (AUTH)."
  type        = string
  sensitive   = true
}

variable "postgres_port" {
  description = "Port on 127.0.0.1 that reaches Postgres; null publishes nothing."
  type        = number
  default     = 15432
}

variable "redis_port" {
  description = "Port on 127.0.0.1 that reaches Redis; null publishes nothing."
  type        = number
  default     = 16379
}

variable "postgres_healthcheck" {
  description = "Health check command of the Postgres container (Docker CMD form)."
  type        = list(string)
  default     = ["CMD-SHELL", "pg_isready -q -h 127.0.0.1 -U \"$POSTGRES_USER\" -d \"$POSTGRES_DB\""]
}

variable "redis_healthcheck" {
  description = "Health check command of the Redis container (Docker CMD form)."
  type        = list(string)
  default     = ["CMD-SHELL", "REDISCLI_AUTH=\"$REDIS_PASSWORD\" redis-cli ping | grep -q PONG"]
}

variable "postgres_command" {
  description = "Override of the Postgres container command (null keeps the image's)."
  type        = list(string)
  default     = null
}

variable "redis_command" {
  description = "Override of the Redis container command (null keeps the image's)."
  type        = list(string)
  default     = null
}

variable "postgres_cpu_shares" {
  description = "Relative CPU weight of Postgres (Docker --cpu-shares); changed in place."
  type        = number
  default     = 1024
}

variable "redis_cpu_shares" {
  description = "Relative CPU weight of Redis (Docker --cpu-shares); changed in place."
  type        = number
  default     = 512
}

variable "wait_healthy" {
  description = "Wait until each container reports healthy before the apply finishes."
  type        = bool
  default     = true
}

variable "health_timeout" {
  description = "Seconds to wait for a container to become healthy."
  type        = number
  default     = 120
}
