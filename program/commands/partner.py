"""`replenish partner …`: pair two devices and exchange sealed envelopes, with no server.

invite / join pair the two (both see the same six words); link / sync exchange through a
folder the couple already syncs; send / receive do the same by hand, as a text bundle;
show says where things stand; leave unpairs. The work is in `program.partner`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from program.commands.base import Handler, UserError, add_command, open_service
from program.terminal import say

if TYPE_CHECKING:
    from program.commands.base import Commands
    from program.partner.exchange import PartnerStatus, Ready, Report
    from program.service import Replenish

_BUNDLE_LIMIT = 64 << 20


def register(commands: Commands, common: argparse.ArgumentParser) -> None:
    partner = add_command(
        commands,
        common,
        "partner",
        _usage,
        "both partners: invite, join, link, sync, send, receive, show, share, keep, leave",
        "Share chosen answers with your partner, privately, with no server: each sees "
        "the other's only once both have answered.",
    )
    partner.set_defaults(usage_of=partner)
    actions = partner.add_subparsers(title="actions", metavar="ACTION")

    def action(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        return add_command(actions, common, name, handler, help_text)

    invite = action("invite", cmd_invite, "print an invitation for your partner to join")
    invite.add_argument("-o", "--output", type=Path, metavar="FILE", help="write it to FILE")
    invite.add_argument("--name", help="the name your partner sees (default: your login name)")
    join = action("join", cmd_join, "accept an invitation (prints the reply) or a reply")
    join.add_argument("file", metavar="FILE|-", help="the invitation or reply; - reads stdin")
    join.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the reply to FILE")
    join.add_argument("--name", help="the name your partner sees (default: your login name)")
    link = action("link", cmd_link, "exchange through FOLDER, one you both already sync")
    link.add_argument("folder", type=Path, metavar="FOLDER")
    action("sync", cmd_sync, "exchange through the linked folder now")
    send = action("send", cmd_send, "write what you share as a text bundle to paste")
    send.add_argument("-o", "--output", type=Path, metavar="FILE", required=True)
    receive = action("receive", cmd_receive, "take in your partner's text bundle")
    receive.add_argument("file", metavar="FILE|-", help="the bundle; - reads stdin")
    action("show", cmd_show, "paired with whom, the six words, what is waiting")
    share = action("share", cmd_share, "send answers `show` lists as ready to share")
    share.add_argument("ids", nargs="+", metavar="ID", help="as `partner show` lists it")
    keep = action("keep", cmd_keep, "keep answers `show` lists as ready to share private")
    keep.add_argument("ids", nargs="+", metavar="ID", help="as `partner show` lists it")
    action("leave", cmd_leave, "unpair, and delete everything received")


def _usage(args: argparse.Namespace) -> int:
    args.usage_of.print_help()
    return 2


def _errors() -> tuple[type[Exception], ...]:
    from program.partner.keys import PartnerError

    return (PartnerError,)


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read(_BUNDLE_LIMIT)
    from state.paths import read_file

    try:
        return read_file(Path(name), _BUNDLE_LIMIT).decode("utf-8", errors="replace")
    except FileNotFoundError:
        raise UserError(f"{name}: no such file") from None


def _write(path: Path, text: str) -> None:
    from state.paths import write_file

    write_file(path, text, chosen=True)


def _default_name(given: str | None) -> str:
    from program.partner.keys import device_name

    return device_name(given)


def _words(words: tuple[str, ...]) -> str:
    return " ".join(words)


def cmd_invite(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        try:
            invitation = service.partner().invite(_default_name(args.name))
        except _errors() as error:
            raise UserError(str(error)) from None
    if args.output is not None:
        _write(args.output, invitation.armored())
        say(f"Invitation written to {args.output}.")
    else:
        say(invitation.armored(), end="")
    say("Give it to your partner; they run `replenish partner join FILE` and send back the reply,")
    say("which you take in with `replenish partner join REPLY`.")
    return 0


def cmd_join(args: argparse.Namespace) -> int:
    text = _read(args.file)
    with open_service(args) as service:
        try:
            reply, words = service.partner().join(text, _default_name(args.name))
        except _errors() as error:
            raise UserError(str(error)) from None
        status = service.partner().status()
    say(f"Paired with {status.name}.")
    if reply is not None:
        if args.output is not None:
            _write(args.output, reply.armored())
            say(f"Your reply is in {args.output}: send it back to {status.name}.")
        else:
            say(f"Send this reply back to {status.name}:")
            say(reply.armored(), end="")
    say(f"Your six words: {_words(words)}")
    say("Read them to each other aloud: they must be the same on both sides.")
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        try:
            folder = service.partner().link(args.folder)
        except _errors() as error:
            raise UserError(str(error)) from None
    say(f"Linked to {folder}. `replenish partner sync` exchanges now.")
    return 0


def _report(report: Report) -> int:
    say(
        f"Received {report.received} new envelope{'s' if report.received != 1 else ''}"
        + (f" ({report.known} already here)" if report.known else "")
        + f", sent {report.sent}."
    )
    for problem in report.problems:
        say(f"  {problem}")
    return 1 if report.problems else 0


def cmd_sync(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        try:
            report = service.partner().sync()
        except _errors() as error:
            raise UserError(str(error)) from None
        code = _report(report)
        _say_waiting(service.partner_status())
        _say_choices(service)
    return code


def cmd_send(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        try:
            text, _sent = service.partner().send_bundle()
        except _errors() as error:
            raise UserError(str(error)) from None
    _write(args.output, text)
    say(f"Written to {args.output}: paste it into a message to your partner.")
    return 0


def cmd_receive(args: argparse.Namespace) -> int:
    text = _read(args.file)
    with open_service(args) as service:
        try:
            report = service.partner().receive_bundle(text)
        except _errors() as error:
            raise UserError(str(error)) from None
        code = _report(report)
        _say_waiting(service.partner_status())
        _say_choices(service)
    return code


def _say_waiting(status: object) -> None:
    from program.partner.exchange import PartnerStatus

    if not isinstance(status, PartnerStatus):
        return
    if status.partner_paused:
        say(f"{status.name} has paused sharing.")
    for line in status.waiting:
        say(line)


def cmd_show(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        try:
            status = service.partner_status()
        except _errors() as error:
            raise UserError(str(error)) from None
        ready = service.ready_to_share()
    if status is None:
        say("Not paired. `replenish partner invite` begins.")
        return 0
    say(f"Paired with {status.name}.")
    say(f"Six words: {_words(status.fingerprint)}")
    say(f"Folder: {status.folder or 'none (send and receive by hand)'}")
    last = status.last_received
    say(f"Last received: {last.strftime('%Y-%m-%d %H:%M') if last else 'nothing yet'}")
    if status.paused:
        say("Sharing is paused on this side.")
    _say_waiting(status)
    for problem in status.problems:
        say(f"  {problem}")
    _say_ready(ready, status.name)
    return 0


def _say_choices(service: Replenish) -> None:
    """After an exchange: how many answers wait for the user's choice (never their words)."""
    count = len(service.ready_to_share())
    if count:
        say(
            f"{count} answer{'s' if count != 1 else ''} wait{'' if count != 1 else 's'} for "
            "you to share or keep: `replenish partner show`."
        )


def _say_ready(ready: list[Ready], name: str) -> None:
    """Each answer waiting for a choice, in full and exactly as it would leave."""
    if not ready:
        return
    say(f"Ready to share with {name} (nothing leaves until you choose):")
    for item in ready:
        given = item.given
        say(f"  [{item.id}] {given.on:%a %d %b}, {given.exercise_id}: {given.step.question}")
        for line in item.text.splitlines() or [""]:
            say(f"      {line}")
    say("`replenish partner share ID` sends one as shown; `replenish partner keep ID` keeps it")
    say("on this machine for good.")


def _choose(args: argparse.Namespace, share: bool) -> int:
    from program.partner.keys import PartnerError

    with open_service(args) as service:
        status = _status(service)
        ready = {item.id: item for item in service.ready_to_share()}
        unknown = [given for given in args.ids if given not in ready]
        if unknown:
            raise UserError(
                f"{', '.join(unknown)}: not an answer ready to share (it may have changed, "
                "or been chosen already); `replenish partner show` lists them"
            )
        for chosen in dict.fromkeys(args.ids):
            item = ready[chosen]
            try:
                service.choose_share(item, share)
            except PartnerError as error:
                raise UserError(str(error)) from None
            if share:
                say(f"[{chosen}] will go to {status.name} at the next exchange, as shown.")
            else:
                say(f"[{chosen}] stays on this machine; it will never be sent.")
    return 0


def _status(service: Replenish) -> PartnerStatus:
    status = service.partner_status()
    if status is None:
        raise UserError("not paired with a partner; `replenish partner invite` to begin")
    return status


def cmd_share(args: argparse.Namespace) -> int:
    return _choose(args, share=True)


def cmd_keep(args: argparse.Namespace) -> int:
    return _choose(args, share=False)


def cmd_leave(args: argparse.Namespace) -> int:
    with open_service(args) as service:
        name = service.partner().leave()
    if name is None:
        say("Not paired; nothing to do.")
    else:
        say(f"Unpaired from {name}; everything received from them is deleted.")
    return 0
