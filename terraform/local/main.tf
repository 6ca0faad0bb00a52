# Local development infrastructure (seed 003): one network, persistent volumes, Postgres with
# pgvector (the image's entrypoint enables the extension in POSTGRES_DB) and Redis, each with a
# health check. Images are local only: the data sources fail
# clearly when an image is missing instead of pulling from a registry.

locals {
  labels = {
    project     = var.project_name
    environment = var.environment
    managed-by  = "terraform"
  }
}

data "docker_image" "postgres" {
  name = var.postgres_image
}

data "docker_image" "redis" {
  name = var.redis_image
}

resource "docker_network" "platform" {
  name   = "${var.project_name}-network"
  driver = "bridge"

  dynamic "ipam_config" {
    for_each = var.network_subnet == null ? [] : [var.network_subnet]
    content {
      subnet = ipam_config.value
    }
  }

  dynamic "labels" {
    for_each = local.labels
    content {
      label = labels.key
      value = labels.value
    }
  }
}

resource "docker_volume" "postgres_data" {
  name = "${var.project_name}-postgres-data"

  dynamic "labels" {
    for_each = local.labels
    content {
      label = labels.key
      value = labels.value
    }
  }
}

resource "docker_volume" "redis_data" {
  name = "${var.project_name}-redis-data"

  dynamic "labels" {
    for_each = local.labels
    content {
      label = labels.key
      value = labels.value
    }
  }
}

resource "docker_container" "postgres" {
  name         = "${var.project_name}-postgres"
  image        = data.docker_image.postgres.id
  command      = var.postgres_command
  restart      = "unless-stopped"
  cpu_shares   = var.postgres_cpu_shares
  wait         = var.wait_healthy
  wait_timeout = var.health_timeout

  env = [
    "POSTGRES_DB=${var.postgres_db}",
    "POSTGRES_USER=${var.postgres_user}",
    "POSTGRES_PASSWORD=${var.postgres_password}",
  ]

  networks_advanced {
    name    = docker_network.platform.id
    aliases = ["postgres"]
  }

  volumes {
    volume_name    = docker_volume.postgres_data.name
    container_path = "/var/lib/postgresql/data"
  }

  dynamic "ports" {
    for_each = var.postgres_port == null ? [] : [var.postgres_port]
    content {
      internal = 5432
      external = ports.value
      ip       = "127.0.0.1"
    }
  }

  healthcheck {
    test     = var.postgres_healthcheck
    interval = "2s"
    timeout  = "5s"
    retries  = 30
  }

  dynamic "labels" {
    for_each = local.labels
    content {
      label = labels.key
      value = labels.value
    }
  }
}

resource "docker_container" "redis" {
  name         = "${var.project_name}-redis"
  image        = data.docker_image.redis.id
  command      = var.redis_command
  restart      = "unless-stopped"
  cpu_shares   = var.redis_cpu_shares
  wait         = var.wait_healthy
  wait_timeout = var.health_timeout

  env = ["REDIS_PASSWORD=${var.redis_password}"]

  networks_advanced {
    name    = docker_network.platform.id
    aliases = ["redis"]
  }

  volumes {
    volume_name    = docker_volume.redis_data.name
    container_path = "/data"
  }

  dynamic "ports" {
    for_each = var.redis_port == null ? [] : [var.redis_port]
    content {
      internal = 6379
      external = ports.value
      ip       = "127.0.0.1"
    }
  }

  healthcheck {
    test     = var.redis_healthcheck
    interval = "2s"
    timeout  = "5s"
    retries  = 30
  }

  dynamic "labels" {
    for_each = local.labels
    content {
      label = labels.key
      value = labels.value
    }
  }
}
