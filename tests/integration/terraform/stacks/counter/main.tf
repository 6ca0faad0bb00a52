# Provider-free test stack: OpenTofu's built-in terraform_data.
variable "resource_count" {
  type    = number
  default = 1
}

# Changing it updates every item in place.
variable "generation" {
  type    = string
  default = "1"
}

variable "secret" {
  type      = string
  sensitive = true
  default   = "default-secret-value"
}

resource "terraform_data" "item" {
  count = var.resource_count
  input = var.generation
}

output "item_count" {
  value = length(terraform_data.item)
}

output "secret_echo" {
  value     = var.secret
  sensitive = true
}
