"""Whom an API token belongs to, and their role, kept in the shared cache.

Every API request authenticates its token. Reading the token, its user and
the user's role from the database costs more than the rest of a cached bank
read (the role query's planning alone takes milliseconds), so the answer is
kept in the cache all web processes share, keyed by a digest of the token.

Each change that could alter the answer deletes the entries it touches, for
every process at once: the token saved or deleted; the user saved or deleted;
their groups or direct permissions changed; a group's permissions changed, or
the group or a permission deleted. The deletion happens at once and again
when the transaction commits, so a request that read the old rows before the
commit cannot leave them cached. Entries also expire after
AUTH_TOKEN_CACHE_SECONDS, a bound on what no signal announces (a
`QuerySet.update()` of users); 0 turns the cache off.

The user is rebuilt from the cached column values without the password hash,
which never enters the cache: reading `user.password` loads it from the
database (a deferred field).
"""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from rest_framework.authtoken.models import Token

_NOT_CACHED = ("password",)


def _key(token_key: str) -> str:
    return "auth-token:" + hashlib.sha256(token_key.encode()).hexdigest()[:40]


def _timeout() -> int:
    return settings.AUTH_TOKEN_CACHE_SECONDS


def cached_identity(token_key: str) -> tuple | None:
    """(token, is_hiring_manager) for a token seen recently, else None."""
    if not _timeout():
        return None
    entry = cache.get(_key(token_key))
    if entry is None:
        return None
    User = get_user_model()
    user = User.from_db(DEFAULT_DB_ALIAS, list(entry["user"]), list(entry["user"].values()))
    token = Token.from_db(DEFAULT_DB_ALIAS, ["key", "user_id", "created"], [token_key, user.pk, entry["created"]])
    token.user = user
    return token, entry["is_hiring_manager"]


def remember(token, *, is_hiring_manager: bool) -> None:
    if not _timeout():
        return
    user = {
        field.attname: getattr(token.user, field.attname)
        for field in token.user._meta.concrete_fields
        if field.attname not in _NOT_CACHED
    }
    entry = {"user": user, "created": token.created, "is_hiring_manager": is_hiring_manager}
    cache.set(_key(token.key), entry, _timeout())


def forget(token_keys) -> None:
    keys = [_key(k) for k in token_keys]
    if not keys:
        return
    cache.delete_many(keys)
    # Again once the change is visible: a request that read the old rows
    # before the commit may have cached them in between.
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_users(user_filter: Q) -> None:
    """Forget the tokens of the users `user_filter` (over Token.user) selects."""
    forget(Token.objects.filter(user_filter).values_list("key", flat=True))


# Signal receivers, connected in AccountsConfig.ready().


def _token_changed(sender, instance, **kwargs):
    forget([instance.key])


def _user_changed(sender, instance, **kwargs):
    forget_users(Q(user_id=instance.pk))


def _user_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A user's groups or direct permissions, changed from either side."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        forget_users(Q(user_id=instance.pk))
    elif action == "pre_clear":  # a group or permission losing all its users
        relation = "groups" if isinstance(instance, Group) else "user_permissions"
        forget_users(Q(**{f"user__{relation}": instance.pk}))
    else:
        forget_users(Q(user_id__in=pk_set))


def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # instance is a group
        forget_users(Q(user__groups=instance.pk))
    elif action == "pre_clear":  # a permission leaving every group
        forget_users(Q(user__groups__permissions=instance.pk))
    else:  # instance is a permission; pk_set are groups
        forget_users(Q(user__groups__in=pk_set))


def _group_deleted(sender, instance, **kwargs):
    forget_users(Q(user__groups=instance.pk))


def _permission_deleted(sender, instance, **kwargs):
    forget_users(Q(user__user_permissions=instance.pk) | Q(user__groups__permissions=instance.pk))


def connect_signals() -> None:
    User = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(_token_changed, sender=Token, dispatch_uid="token_cache_token")
        signal.connect(_user_changed, sender=User, dispatch_uid="token_cache_user")
    m2m_changed.connect(_user_m2m_changed, sender=User.groups.through, dispatch_uid="token_cache_user_groups")
    m2m_changed.connect(
        _user_m2m_changed, sender=User.user_permissions.through, dispatch_uid="token_cache_user_permissions"
    )
    m2m_changed.connect(
        _group_permissions_changed, sender=Group.permissions.through, dispatch_uid="token_cache_group_permissions"
    )
    pre_delete.connect(_group_deleted, sender=Group, dispatch_uid="token_cache_group")
    pre_delete.connect(_permission_deleted, sender=Permission, dispatch_uid="token_cache_permission")
