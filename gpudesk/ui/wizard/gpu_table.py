"""The GPU step's table: the chosen platform's GPUs, whether each holds the estimate, the price.

A view of :func:`gpudesk.core.catalog.rentals.offers_for` (which rows, where each price comes
from) and :func:`~gpudesk.core.catalog.rentals.fit_verdict` (fits, tight, needs N cards and
whether the platform rents that many). Texts from the platform or the account are shown as
plain text; nothing here decides anything.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from gpudesk.core.catalog.gpus import GpuFit, MemoryEstimate, fitting_gpus
from gpudesk.core.catalog.rentals import (
    FitVerdict,
    GpuOffer,
    PlatformGpus,
    PriceKind,
    fit_verdict,
)
from gpudesk.ui.i18n import localized
from gpudesk.ui.widgets.text import fmt

_FITS = QColor("#dafbe1")
_SPLIT = QColor("#fff8c5")
_NONE = QColor(0, 0, 0, 0)
FIT_COLUMN = 5
PRICE_COLUMN = 6


class GpuTable(QTableWidget):
    """One row per GPU the platform offers (see the module docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 7, parent)
        self.setObjectName("gpuTable")
        self.setHorizontalHeaderLabels(
            [
                self.tr("GPU"),
                self.tr("Memory"),
                self.tr("Architecture"),
                self.tr("Compute capability"),
                self.tr("Speed (T4 = 1)"),
                self.tr("Fits?"),
                self.tr("Price"),
            ]
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PRICE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.offers: list[GpuOffer] = []
        self.platform_name = ""

    def show_offers(self, offers: list[GpuOffer], platform_name: str) -> None:
        """Show these rows (the selection stays on the same GPU when it is still listed)."""
        chosen = self.selected_name()
        self.blockSignals(True)
        self.clearSelection()
        self._sizing_columns(False)
        self.offers, self.platform_name = offers, platform_name
        self.setRowCount(len(offers))
        for row, offer in enumerate(offers):
            gpu = offer.gpu
            name = gpu.name
            if offer.rented is not None and min(offer.rented.counts) > 1:
                name = f"{min(offer.rented.counts)} × {gpu.name}"
            cells = [
                name,
                f"{gpu.vram_gib:g} GiB",
                gpu.architecture,
                f"{gpu.compute_capability} ({gpu.sm})",
                f"{gpu.relative_speed:.2f}",
                "",
                self.price_text(offer),
            ]
            note = localized(gpu.note, gpu.note_zh)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if note:
                    item.setToolTip(note)
                self.setItem(row, column, item)
            price = self.item(row, PRICE_COLUMN)
            if price is not None and offer.price_url:
                price.setToolTip(offer.price_url)
        self.blockSignals(False)
        self._sizing_columns(True)
        if chosen is not None:
            self.choose(chosen)

    def price_text(self, offer: GpuOffer) -> str:
        """What the price column says for one row."""
        if offer.price is PriceKind.ACCOUNT and offer.yuan_per_hour is not None:
            if offer.instance_gpus > 1:
                return fmt(
                    self.tr("¥%1/h for %2 GPUs (your instance %3)"),
                    f"{offer.yuan_per_hour:.2f}",
                    offer.instance_gpus,
                    offer.instance_name or "",
                )
            return fmt(
                self.tr("¥%1/h (your instance %2)"),
                f"{offer.yuan_per_hour:.2f}",
                offer.instance_name or "",
            )
        if offer.price is PriceKind.FREE and offer.rented is not None:
            note = localized(offer.rented.free_note, offer.rented.free_note_zh)
            return fmt(self.tr("Free (%1)"), note) if note else self.tr("Free")
        if offer.price is PriceKind.PRICE_PAGE:
            return self.tr("See the price page (link below)")
        return self.tr("Not known to gpudesk")

    def about_text(self, known: PlatformGpus) -> str:
        """What the list is: the platform's known GPUs, or every GPU because it is not known."""
        if not self.platform_name:
            return ""
        if not known.known:
            about = self.tr(
                "Which GPUs %1 rents is not known to gpudesk, so every common GPU is listed."
            )
        elif known.complete:
            about = self.tr("The GPUs %1 is known to rent.")
        else:
            about = self.tr("The GPUs %1 is known to rent; it has others too.")
        note = localized(known.note, known.note_zh)
        first = fmt(about, self.platform_name)
        gap = "" if first.endswith(("。", "；")) else " "  # no space after Chinese punctuation
        return f"{first}{gap}{note}" if note else first

    def price_link(self, known: PlatformGpus, site: str) -> str:
        """Rich text pointing at the platform's price page or site (empty: nothing to add)."""
        kinds = {offer.price for offer in self.offers}
        name = html.escape(self.platform_name)
        if PriceKind.PRICE_PAGE in kinds and known.price_url:
            return fmt(
                self.tr('Other prices: <a href="%1">%2\'s price page</a>.'),
                html.escape(known.price_url),
                name,
            )
        if PriceKind.UNKNOWN in kinds and site:
            return fmt(
                self.tr('gpudesk has no price list: see <a href="%1">%2\'s site</a> for prices.'),
                html.escape(site),
                name,
            )
        return ""

    def _sizing_columns(self, on: bool) -> None:
        """Columns fit their contents; off while many cells change, so they are measured once."""
        mode = QHeaderView.ResizeMode.ResizeToContents if on else QHeaderView.ResizeMode.Fixed
        header = self.horizontalHeader()
        for column in range(self.columnCount()):
            if column != PRICE_COLUMN:
                header.setSectionResizeMode(column, mode)

    def show_estimate(self, estimate: MemoryEstimate) -> set[int]:
        """Mark which rows hold ``estimate``; returns the card counts of the split rows."""
        fits: dict[str, GpuFit] = {fit.gpu.name: fit for fit in fitting_gpus(estimate)}
        counts: set[int] = set()
        self._sizing_columns(False)
        for row, offer in enumerate(self.offers):
            fit = fits.get(offer.gpu.name)
            verdict = fit_verdict(fit, offer)
            text, colour, hint = self._verdict_text(verdict, fit, offer)
            if fit is not None and verdict is not FitVerdict.TIGHT:
                hint = self._fit_hint(fit, estimate.total_gib)
            if verdict in (FitVerdict.SPLIT_OFFERED, FitVerdict.SPLIT_NOT_OFFERED):
                limit = fmt(
                    self.tr("%1 has at most %2 of this card in one instance."),
                    self.platform_name,
                    offer.max_count or 0,
                )
                hint = f"{hint} {limit}"
            if fit is not None and verdict in (FitVerdict.SPLIT, FitVerdict.SPLIT_OFFERED):
                counts.add(fit.count)
            cell = self.item(row, FIT_COLUMN)
            if cell is not None:
                cell.setText(text)
                cell.setToolTip(hint)
            for column in range(self.columnCount()):
                item = self.item(row, column)
                if item is not None:
                    item.setBackground(colour)
        self._sizing_columns(True)
        return counts

    def _fit_hint(self, fit: GpuFit, need_gib: float) -> str:
        gpu = fit.gpu
        if fit.fits_single:
            return fmt(
                self.tr("Fits on one %1 (%2 GiB, needs %3 GiB)."),
                gpu.name,
                f"{gpu.vram_gib:g}",
                f"{need_gib:.1f}",
            )
        return fmt(
            self.tr(
                "Needs %1 × %2 (%3 GiB each) for %4 GiB; splitting a model across GPUs "
                "(tensor or pipeline parallelism, FSDP, DeepSpeed) adds memory of its own, so "
                "this is a lower bound."
            ),
            fit.count,
            gpu.name,
            f"{gpu.vram_gib:g}",
            f"{need_gib:.1f}",
        )

    def _verdict_text(
        self, verdict: FitVerdict, fit: GpuFit | None, offer: GpuOffer
    ) -> tuple[str, QColor, str]:
        if verdict is FitVerdict.TOO_SMALL or fit is None:
            return self.tr("Too small"), _NONE, ""
        if verdict is FitVerdict.FITS:
            return self.tr("Fits"), _FITS, ""
        if verdict is FitVerdict.TIGHT:
            return (
                self.tr("Tight"),
                _SPLIT,
                self.tr(
                    "Less than a tenth of the card stays free: the usable memory is a little "
                    "below the nominal size, and a longer context or bigger batch will not fit."
                ),
            )
        if verdict in (FitVerdict.SPLIT_OFFERED, FitVerdict.SPLIT_NOT_OFFERED):
            offered = verdict is FitVerdict.SPLIT_OFFERED
            template = (
                self.tr("Needs %1 cards: %2 has up to %3")
                if offered
                else self.tr("Needs %1 cards: %2 has only %3")
            )
            text = fmt(template, fit.count, self.platform_name, offer.max_count or 0)
            return text, _SPLIT if offered else _NONE, ""
        return fmt(self.tr("Needs %1 cards"), fit.count), _SPLIT, ""

    def selected_offer(self) -> GpuOffer | None:
        """The chosen row."""
        rows = {index.row() for index in self.selectedIndexes()}
        return self.offers[rows.pop()] if len(rows) == 1 else None

    def selected_name(self) -> str | None:
        """The chosen GPU's table name."""
        offer = self.selected_offer()
        return offer.gpu.name if offer is not None else None

    def choose(self, name: str) -> bool:
        """Select the GPU called ``name``; False when it is not listed."""
        for row, offer in enumerate(self.offers):
            if offer.gpu.name == name:
                self.selectRow(row)
                item = self.item(row, 0)
                if item is not None:
                    self.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)
                return True
        return False

    def row_of(self, name: str) -> int | None:
        """The row showing the GPU ``name``, if listed."""
        return next((r for r, offer in enumerate(self.offers) if offer.gpu.name == name), None)
