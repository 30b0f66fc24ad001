"""``@hpman_cst.click.options(_)``: every hyper-parameter on a click command's command line.

The same options, checks and actions as :func:`hpman_cst.hpargparse.bind`, for projects
whose scripts use click::

    _.parse_file(os.path.dirname(__file__))

    @click.command()
    @hpman_cst.click.options(_)
    def train(epochs: int) -> None:
        ...

Call ``_.parse_file`` before the decorator runs (it reads the hyper-parameters when the
command is defined). The values go into ``_``, not into the command's arguments. Bad
input is a click usage error (exit status 2) and nothing is saved.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import click

from .binding import (
    LIST_FORMATS,
    SERIAL_FORMATS,
    ActionFailed,
    Manager,
    actions_to_inject,
    default_text,
    help_text,
    hyper_parameter_owner,
    option_collision,
    option_string,
    run_actions,
    specs_for,
)
from .exceptions import InvalidValue
from .hints import ValueSpec, parse_text

__all__ = ["options"]

F = TypeVar("F", bound=Callable[..., Any])


class _Default:
    """An option's default: "not given" (the value stays the manager's) shown as the
    current value in help."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


class _HyperParameterType(click.ParamType):  # type: ignore[type-arg]  # generic in click 8.3+
    """Converts a command-line string with the hyper-parameter's :class:`ValueSpec`."""

    def __init__(self, spec: ValueSpec) -> None:
        self.spec = spec
        self.name = spec.type_name

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str | None:
        return self.spec.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, _Default):
            return value
        try:
            return parse_text(self.spec, value if isinstance(value, str) else str(value))
        except InvalidValue as exc:
            self.fail(exc.message, param, ctx)


class _Option(click.Option):
    """An option whose other spellings (``--num_layers``) are accepted but not listed."""

    def get_error_hint(self, ctx: click.Context | None) -> str:
        return f"'{self.opts[0]}'"

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        spellings = self.opts
        self.opts = spellings[:1]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = spellings


def options(
    hp_mgr: Manager,
    *,
    inject_actions: bool | Sequence[str] = True,
    action_prefix: str = "hp",
    serial_format: str = "auto",
    show_defaults: bool = True,
) -> Callable[[F], F]:
    """A decorator adding the hyper-parameters of ``hp_mgr`` and the ``--hp-*`` actions to a
    click command (put it below ``@click.command()``, or above it). Arguments as for
    :func:`hpman_cst.hpargparse.bind`.

    Raises :class:`ValueError` for an unknown action or format and
    :class:`~hpman_cst.exceptions.InvalidHint` for a hint that cannot be honoured.
    """
    actions = actions_to_inject(inject_actions)
    if serial_format not in SERIAL_FORMATS:
        raise ValueError(f"serial_format must be one of {', '.join(SERIAL_FORMATS)}")
    specs = specs_for(hp_mgr)
    defaults = {name: _Default(default_text(hp_mgr, spec)) for name, spec in specs.items()}
    params: list[click.Parameter] = []
    keys: dict[str, str] = {}  # hyper-parameter name -> parameter name
    for i, (name, spec) in enumerate(specs.items()):
        option = option_string(name)
        if option is not None:
            keys[name] = f"hpman_value_{i}"
            params.append(_value_option(keys[name], option, spec, defaults[name], show_defaults))
    params += _action_options(actions, action_prefix, serial_format)

    def process(kwargs: dict[str, Any]) -> None:
        ctx = click.get_current_context()
        collision = option_collision(_owners(ctx, keys, hp_mgr, action_prefix))
        if collision is not None:  # the command's params are all known only now
            raise click.UsageError(collision, ctx)
        given = {}
        for name, key in keys.items():
            value = kwargs.pop(key)
            if value is not defaults[name]:
                given[name] = value
        act = {a: kwargs.pop(f"hpman_{a}", None) for a in (*actions, "serial_format", "exit")}
        try:
            text = run_actions(
                hp_mgr,
                specs,
                given,
                load=act.get("load"),
                save=act.get("save"),
                list_format="detail" if act.get("detail") else act.get("list"),
                serial_format=act.get("serial_format") or "auto",
            )
        except ActionFailed as failed:
            hint = None if failed.action == "set" else f"'--{action_prefix}-{failed.action}'"
            raise click.BadParameter(str(failed.error), ctx=ctx, param_hint=hint) from None
        if text is not None:
            click.echo(text, nl=False)
            ctx.exit(0)
        if act.get("exit"):
            ctx.exit(0)

    def decorator(f: F) -> F:
        if isinstance(f, click.Command):
            f.params.extend(params)
            f.callback = _wrap(f.callback, process) if f.callback else None
            return cast(F, f)
        wrapper = _wrap(f, process)
        # click.command() reverses the decorators' list, so add ours last-first.
        memo: list[click.Parameter] = list(getattr(f, "__click_params__", []))
        wrapper.__click_params__ = memo + params[::-1]  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorator


def _owners(
    ctx: click.Context, keys: dict[str, str], manager: Manager, prefix: str
) -> list[tuple[str, str]]:
    """Every option string of the command and who claims it: the command's own options
    (``--help`` included) first, then the hyper-parameters, then the actions."""
    names = {key: name for name, key in keys.items()}
    # click drops a help option whose name another option took: count it all the same.
    helps = "/".join(ctx.help_option_names)
    own = [(option, f"the command's option {helps}") for option in ctx.help_option_names]
    ours: list[tuple[str, str]] = []
    actions: list[tuple[str, str]] = []
    for param in ctx.command.get_params(ctx):
        if not isinstance(param, click.Option):
            continue
        strings = [*param.opts, *param.secondary_opts]
        if param.name in names:
            owner = hyper_parameter_owner(manager, names[param.name])
            ours += [(option, owner) for option in strings]
        elif param.name is not None and param.name.startswith("hpman_"):
            actions += [
                (option, f"the hpman-cst action {option} (action_prefix={prefix!r})")
                for option in strings
            ]
        else:
            owner = f"the command's option {'/'.join(strings)}"
            own += [(option, owner) for option in strings]
    return own + ours + actions


def _wrap(f: Callable[..., Any], process: Callable[[dict[str, Any]], None]) -> Callable[..., Any]:
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        process(kwargs)
        return f(*args, **kwargs)

    return wrapper


def _value_option(
    key: str, option: str, spec: ValueSpec, default: _Default, show_defaults: bool
) -> click.Option:
    spellings = [option] + ([f"--{spec.name}"] if f"--{spec.name}" != option else [])
    # A required option gets no default, so that click reports it missing.
    default_kwargs: dict[str, Any] = {} if spec.required else {"default": default}
    return _Option(
        [key, *spellings],
        type=_HyperParameterType(spec),
        required=spec.required,
        show_default=show_defaults and not spec.required,
        help=help_text(spec, escape=False),
        **default_kwargs,
    )


def _action_options(actions: list[str], prefix: str, serial_format: str) -> list[click.Option]:
    found: list[click.Option] = []

    def add(action: str, *decls: str, **kwargs: Any) -> None:
        found.append(click.Option([f"hpman_{action}", f"--{prefix}-{action}", *decls], **kwargs))

    if "save" in actions:
        add(
            "save",
            metavar="PATH",
            help="Save hyper-parameters to a file, after processing all other options.",
        )
    if "load" in actions:
        add(
            "load",
            metavar="PATH",
            help="Load hyper-parameters from a file, before processing any other options.",
        )
    if "list" in actions:
        add(
            "list",
            is_flag=False,
            flag_value="yaml",
            default=None,
            type=click.Choice(LIST_FORMATS),
            help="List all hyper-parameters (yaml when no "
            "format is given); `detail` shows where each one is defined.",
        )
    if "detail" in actions:
        add("detail", is_flag=True, help=f"Shorthand for --{prefix}-list detail.")
    if "save" in actions or "load" in actions:
        found.append(
            click.Option(
                ["hpman_serial_format", f"--{prefix}-serial-format"],
                type=click.Choice(SERIAL_FORMATS),
                default=serial_format,
                show_default=True,
                help="Format of saved and loaded files; auto tells it from the extension.",
            )
        )
    if actions:
        add("exit", is_flag=True, help="Process all hyper-parameter actions, then exit.")
    return found
