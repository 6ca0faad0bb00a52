# Benchmark stack: provider-free (OpenTofu's built-in terraform_data), so the figures measure
# the tools, not a provider.
variable "resource_count" {
  type    = number
  default = 100
}

variable "generation" {
  type    = string
  default = "1"
}

# Only an output depends on it: an apply that changes nothing but outputs.
variable "label" {
  type    = string
  default = "a"
}

# A new key replaces terraform_data.cbd, creating the new one before destroying the old.
variable "cbd_key" {
  type    = string
  default = "1"
}

resource "terraform_data" "item" {
  count = var.resource_count
  input = var.generation
}

resource "terraform_data" "cbd" {
  triggers_replace = var.cbd_key

  lifecycle {
    create_before_destroy = true
  }
}

output "label" {
  value = var.label
}
