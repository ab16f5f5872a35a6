"""The peer's routes: the paths our bench's command mix and reads send."""

from django.urls import path
from registry import views

urlpatterns = [
    path("healthz", views.healthz),
    path("v1/secondments", views.secondments),
    path("v1/secondments/<int:pk>/approve", views.approve),
    path("v1/secondments/<int:pk>/deploy", views.deploy),
    path("v1/secondments/<int:pk>/reports", views.report),
    path("v1/secondments/<int:pk>/difficulties", views.difficulty),
    path("v1/secondments/<int:pk>/events", views.events),
]
