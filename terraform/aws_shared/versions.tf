terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40"
    }
  }

  # Partial configuration: bucket, key, region and dynamodb_table come per environment from
  # inventories/<env>/group_vars/all/terraform.yml (terraform_backend_config).
  backend "s3" {
    encrypt = true
  }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      project     = var.project_name
      environment = var.environment
      managed-by  = "terraform"
    }
  }
}
