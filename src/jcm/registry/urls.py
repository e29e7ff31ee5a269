from django.urls import path

from jcm.registry.views import accounts, journal, manage, public

app_name = "registry"
urlpatterns = [
    path("registry/", public.index, name="index"),
    path("registry/serial/", public.serial, name="serial"),
    path("registry/retirements/", public.retirements, name="retirements"),
    path("registry/checkpoints/", journal.checkpoints, name="checkpoints"),
    path("registry/checkpoints/public-key.pem", journal.public_key, name="checkpoint-key"),
    path("registry/retirements/<str:number>/", public.retirement, name="retirement"),
    path("registry/retirements/<str:number>/certificate.pdf", public.certificate, name="certificate"),
    # signed in: account holders and registry managers
    path("registry/accounts/", accounts.my_accounts, name="my-accounts"),
    path("registry/accounts/<str:number>/", accounts.account, name="account"),
    path("registry/accounts/<str:number>/transfer/", accounts.transfer, name="transfer"),
    path("registry/accounts/<str:number>/retire/", accounts.retire, name="retire"),
    path("registry/accounts/<str:number>/international-transfer/", accounts.international_transfer,
         name="international-transfer"),
    path("registry/accounts/<str:number>/authorise/", accounts.authorise, name="authorise"),
    path("registry/accounts/<str:number>/cancel/", accounts.cancel, name="cancel"),
    path("registry/accounts/<str:number>/status/", accounts.set_status, name="account-status"),
    path("registry/manage/", manage.index, name="manage-index"),
    path("registry/manage/<str:code>/", manage.manage, name="manage"),
    path("registry/manage/<str:code>/accounts/", manage.open_account, name="open-account"),
    path("registry/manage/<str:code>/adjustments/", manage.adjustment, name="adjustment"),
    path("registry/manage/<str:code>/checkpoint/", manage.checkpoint, name="checkpoint"),
    path("registry/<str:code>/", public.registry, name="registry"),
]
