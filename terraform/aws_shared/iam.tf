data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# Used by ECS to pull the image, write logs and read the interview password from SSM.
resource "aws_iam_role" "task_execution" {
  name               = "${local.name}-task-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "task_execution" {
  role       = aws_iam_role.task_execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "read_interview_passwords" {
  statement {
    actions   = ["ssm:GetParameters", "ssm:GetParameter"]
    resources = ["arn:aws:ssm:${var.aws_region}:*:parameter/${var.project_name}/${var.environment}/interviews/*"]
  }
}

resource "aws_iam_role_policy" "read_interview_passwords" {
  name   = "read-interview-passwords"
  role   = aws_iam_role.task_execution.id
  policy = data.aws_iam_policy_document.read_interview_passwords.json
}

# The role code-server runs as: only its own workspace prefix in the workspaces bucket.
resource "aws_iam_role" "task" {
  name               = "${local.name}-code-server"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "workspace_access" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.this["workspaces"].arn}/*", "${aws_s3_bucket.this["challenges"].arn}/*"]
  }
}

resource "aws_iam_role_policy" "workspace_access" {
  name   = "workspace-access"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.workspace_access.json
}
