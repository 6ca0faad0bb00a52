locals {
  buckets = {
    templates  = "${local.name}-templates"  # interview Terraform templates
    challenges = "${local.name}-challenges" # challenge files copied into workspaces
    workspaces = "${local.name}-workspaces" # per-interview workspace archives
  }
}

resource "aws_s3_bucket" "this" {
  for_each = local.buckets
  bucket   = each.value
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = aws_s3_bucket.this
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Settings the interview modules read at run time.
resource "aws_ssm_parameter" "max_instances" {
  name  = "/${var.project_name}/${var.environment}/interviews/max_instances"
  type  = "String"
  value = tostring(var.max_instances)
}

resource "aws_ssm_parameter" "cluster" {
  name  = "/${var.project_name}/${var.environment}/interviews/cluster"
  type  = "String"
  value = aws_ecs_cluster.interviews.name
}
