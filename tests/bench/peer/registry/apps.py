"""The peer's one app."""

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
