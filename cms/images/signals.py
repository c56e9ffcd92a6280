from django.db.models.signals import post_save
from django.dispatch import receiver

from cms.images.models import HandbookImage
from cms.images.services import image_alt_text_sync_source


@receiver(post_save, sender=HandbookImage)
def sync_source_alt_text(sender, instance: HandbookImage, raw=False, **kwargs):
    if not raw:
        image_alt_text_sync_source(image=instance)
