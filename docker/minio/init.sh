#!/bin/sh
# One-shot set-up of the object store (compose profile "s3", service "minio-init", MinIO client image):
# the warehouse bucket from POSTWATCH_DATA_PATH, and a PostWatch access key that may use that bucket
# only (the root credentials stay with the operator). Idempotent.
set -eu

: "${MINIO_ROOT_USER:?set MINIO_ROOT_USER in .env}"
: "${MINIO_ROOT_PASSWORD:?set MINIO_ROOT_PASSWORD in .env}"
: "${POSTWATCH_S3_KEY_ID:?set POSTWATCH_S3_KEY_ID in .env}"
: "${POSTWATCH_S3_SECRET:?set POSTWATCH_S3_SECRET in .env}"
case "${POSTWATCH_DATA_PATH:-}" in
    s3://*/*) ;;
    *) echo "POSTWATCH_DATA_PATH must be s3://<bucket>/<prefix>/ with the s3 profile (got '${POSTWATCH_DATA_PATH:-}')" >&2; exit 1 ;;
esac
bucket="${POSTWATCH_DATA_PATH#s3://}"
bucket="${bucket%%/*}"

until mc alias set store http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
    echo "waiting for minio"
    sleep 2
done

mc mb --ignore-existing "store/${bucket}"

policy=/tmp/postwatch-policy.json
cat >"$policy" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
     "Resource": ["arn:aws:s3:::${bucket}"]},
    {"Effect": "Allow",
     "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                "s3:ListMultipartUploadParts"],
     "Resource": ["arn:aws:s3:::${bucket}/*"]}
  ]
}
JSON
mc admin policy create store postwatch-warehouse "$policy"
# "user add" on an existing key sets its secret: rotating POSTWATCH_S3_SECRET is a re-run.
mc admin user add store "$POSTWATCH_S3_KEY_ID" "$POSTWATCH_S3_SECRET"
if mc admin user info store "$POSTWATCH_S3_KEY_ID" | grep -q 'postwatch-warehouse'; then
    echo "policy postwatch-warehouse already attached to ${POSTWATCH_S3_KEY_ID}"
else
    mc admin policy attach store postwatch-warehouse --user "$POSTWATCH_S3_KEY_ID"
fi
echo "bucket ${bucket} ready for ${POSTWATCH_S3_KEY_ID}"
