"""The registered names of the letters app's Celery tasks.

Services queue tasks by these names (`config.celery.queue_after_commit`) and never import
`letters.tasks`, which imports them: the dependency runs one way. A test checks that every name
here, and every task in the beat schedule, is a registered task.
"""

SEND_STUDENT_EMAIL = "letters.tasks.send_student_email"
# Queued by the release before the students' outbox; still taken, so an upgrade loses none.
SEND_PRIVATE_LINK = "letters.tasks.send_private_link"
SEND_STUDENT_COPY = "letters.tasks.send_student_copy"
DISPATCH_BATCH = "letters.tasks.dispatch_batch"
SEND_DELIVERY = "letters.tasks.send_delivery"
BUILD_PRINT_PACK = "letters.tasks.build_print_pack"
RECONCILE_DELIVERIES = "letters.tasks.reconcile_deliveries"
PURGE_PERSONAL_DATA = "letters.tasks.purge_personal_data"
PREPARE_LETTER_PDF = "letters.tasks.prepare_letter_pdf"
