variable "aws_region" {
  description = "AWS region of the shared infrastructure."
  type        = string
}

variable "environment" {
  description = "Environment name (staging, production)."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "production"], var.environment)
    error_message = "The environment must be dev, staging or production."
  }
}

variable "project_name" {
  description = "Prefix of every resource name."
  type        = string
  default     = "interviewops"
}

variable "domain_name" {
  description = "Domain whose hosted zone holds one record per interview (<id>.<domain>)."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"
}

variable "availability_zone_count" {
  description = "How many availability zones get a public and a private subnet."
  type        = number
  default     = 2
}

variable "enable_nat_gateway" {
  description = "One NAT gateway for the private subnets (code-server tasks need egress to pull images)."
  type        = bool
  default     = true
}

variable "certificate_arn" {
  description = "ACM certificate for the HTTPS listener; null serves HTTP only (tests, staging)."
  type        = string
  default     = null
}

variable "code_server_port" {
  description = "Port code-server listens on inside the interview task."
  type        = number
  default     = 8080
}

variable "log_retention_days" {
  description = "Retention of the interview log group."
  type        = number
  default     = 30
}

variable "max_instances" {
  description = "Upper bound of concurrent interviews, stored in SSM for the interview modules."
  type        = number
  default     = 10
}
