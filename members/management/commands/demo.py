from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Build the demo neighbourhood Moerwijk-Oost. Running it again changes nothing."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            self.stdout.write(f"{config.verbose_name}:")
            module.build(self.stdout)
        self.stdout.write(self.style.SUCCESS("The demo neighbourhood is ready."))
