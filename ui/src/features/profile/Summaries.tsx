// Read-only summaries of what the back end holds: the enterprise profile, the code scheme, the
// platform connection. Used by the dashboard and by Settings.

import { Descriptions, Tag, Typography } from "antd";
import type { CodingSettings, Enterprise, PlatformSettings } from "../../api";
import { useT } from "../../i18n";
import { formatDateTime } from "../../lib/format";

function Filled({ value }: { value: string }) {
  const t = useT();
  return value.trim() ? <>{value}</> : <Typography.Text type="secondary">{t.common.notFilled}</Typography.Text>;
}

export function EnterpriseSummary({ enterprise, showUpdated }: { enterprise: Enterprise; showUpdated?: boolean }) {
  const t = useT();
  const items = [
    { key: "name", label: t.enterprise.name, children: <span data-testid="summary-enterprise-name">{enterprise.name}</span> },
    {
      key: "uscc",
      label: t.enterprise.uscc,
      children: (
        <Typography.Text className="code-text" data-testid="summary-enterprise-uscc">
          {enterprise.uscc}
        </Typography.Text>
      ),
    },
    { key: "address", label: t.enterprise.address, children: <Filled value={enterprise.address} /> },
    { key: "contact", label: t.enterprise.contact, children: <Filled value={enterprise.contact} /> },
    { key: "phone", label: t.enterprise.phone, children: <Filled value={enterprise.phone} /> },
  ];
  if (showUpdated) items.push({ key: "updated", label: t.summary.updatedAt, children: <>{formatDateTime(enterprise.updatedAt)}</> });
  return <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2 }} items={items} />;
}

export function CodingSummary({ coding }: { coding: CodingSettings | null }) {
  const t = useT();
  if (!coding) return <Typography.Text type="secondary">{t.summary.notSet}</Typography.Text>;
  const items = [
    {
      key: "scheme",
      label: t.summary.scheme,
      children: <span data-testid="summary-scheme">{t.scheme[coding.scheme].title}</span>,
    },
    {
      key: "granularity",
      label: t.summary.granularity,
      children: (
        <span data-testid="summary-granularity">
          {t.granularity[coding.granularity].title}
          <Typography.Text type="secondary" className="inline-note">
            {t.granularity[coding.granularity].desc}
          </Typography.Text>
        </span>
      ),
    },
  ];
  // The company prefix, for the schemes that have one (GS1, Ecode).
  const prefix =
    coding.scheme === "gs1"
      ? { key: "gs1", label: t.summary.gs1Prefix, code: coding.gs1CompanyPrefix }
      : coding.scheme === "ecode"
        ? { key: "ecode", label: t.summary.ecodePrefix, code: coding.ecodePrefix }
        : null;
  if (prefix) {
    items.push({
      key: prefix.key,
      label: prefix.label,
      children: prefix.code ? <span className="code-text">{prefix.code}</span> : <Filled value="" />,
    });
  }
  items.push({ key: "ccc", label: t.summary.ccc, children: <>{coding.ccc ? t.summary.cccYes : t.summary.cccNo}</> });
  return <Descriptions size="small" column={1} items={items} />;
}

export function PlatformSummary({ platform }: { platform: PlatformSettings | null }) {
  const t = useT();
  if (!platform) return <Typography.Text type="secondary">{t.summary.notSet}</Typography.Text>;
  const items = [
    {
      key: "mode",
      label: t.summary.mode,
      children:
        platform.mode === "practice" ? (
          <Tag color="gold">{t.platformMode.practice}</Tag>
        ) : (
          <Tag color="blue">{t.platformMode.remote}</Tag>
        ),
    },
  ];
  if (platform.mode === "remote") {
    items.push(
      { key: "url", label: t.summary.url, children: <span className="code-text">{platform.url}</span> },
      { key: "appKey", label: t.summary.appKey, children: <span className="code-text">{platform.appKey}</span> },
    );
  }
  return <Descriptions size="small" column={1} items={items} />;
}
