terraform {
  required_version = ">= 1.6.0"

  # Local state; the local inventory puts it under .tools/terraform/state (path, workspace_dir).
  backend "local" {}

  required_providers {
    docker = {
      source  = "kreuzwerker/docker"
      version = "~> 4.6"
    }
  }
}

provider "docker" {
  host = var.docker_host
}
