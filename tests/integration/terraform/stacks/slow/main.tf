# An apply that holds the state lock for a while: each new marker replaces the resource,
# and its create runs a sleep.
variable "marker" {
  type = string
}

variable "sleep_seconds" {
  type    = number
  default = 6
}

resource "terraform_data" "slow" {
  triggers_replace = var.marker
  input            = var.marker

  provisioner "local-exec" {
    command = "sleep ${var.sleep_seconds}"
  }
}

output "marker" {
  value = terraform_data.slow.output
}
