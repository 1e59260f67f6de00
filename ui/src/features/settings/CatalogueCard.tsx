// 设置 → 目录与数据: the catalogues the app checks against (CCC products, key industrial
// products, units), which version is in use, and loading a newer file without a new release.
// Rust reads the file, lists its errors by line or the rows it adds, removes and changes, and
// installs it; the card shows those answers and asks the clerk to confirm.

import { Alert, Button, Card, Descriptions, List, Space, Table, Tag, Typography } from "antd";
import { useEffect, useState } from "react";
import { useBackend } from "../../api";
import type { CataloguePreview, CatalogueVersion } from "../../api/cataloguesApi";
import type { PickedFile } from "../../api/backend";
import { ErrorAlert, useStep } from "../../components/ErrorAlert";
import { useLanguage, useT } from "../../i18n";

type Step = "idle" | "loading" | "choosing" | "installing" | "reverting";

export function CatalogueCard() {
  const t = useT();
  const language = useLanguage();
  const backend = useBackend();
  const { step, error, run } = useStep<Step>("idle");
  const [versions, setVersions] = useState<CatalogueVersion[]>([]);
  const [picked, setPicked] = useState<PickedFile | null>(null);
  const [preview, setPreview] = useState<CataloguePreview | null>(null);
  const [installed, setInstalled] = useState<CatalogueVersion | null>(null);
  const zh = language !== "en";

  const refresh = async () => setVersions(await backend.catalogueVersions());
  useEffect(() => {
    void run("loading", refresh);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const choose = () =>
    run("choosing", async () => {
      setInstalled(null);
      const file = await backend.chooseCatalogueFile({ title: t.catalogues.chooseTitle, filterName: t.catalogues.filterName });
      if (!file) return;
      setPicked(file);
      setPreview(await backend.previewCatalogue(file.token));
    });
  const install = () =>
    run("installing", async () => {
      if (!picked) return;
      setInstalled(await backend.installCatalogue(picked.token));
      setPicked(null);
      setPreview(null);
      await refresh();
    });
  const revert = (name: string) =>
    run("reverting", async () => {
      setInstalled(await backend.revertCatalogue(name));
      await refresh();
    });
  const title = (v: CatalogueVersion) => (zh ? v.titleZh : v.titleEn);

  return (
    <Card size="small" title={t.catalogues.title} className="settings-card" data-testid="settings-catalogues">
      <Typography.Paragraph type="secondary">{t.catalogues.intro}</Typography.Paragraph>
      <Table<CatalogueVersion>
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={versions}
        loading={step === "loading"}
        data-testid="catalogue-versions"
        onRow={(v) => ({ "data-testid": `catalogue-${v.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t.catalogues.name, render: (_, v) => title(v) },
          {
            title: t.catalogues.version,
            render: (_, v) => (
              <Space size={4} wrap>
                <span data-testid="catalogue-version">{v.version}</span>
                {v.origin === "loaded" ? (
                  <Tag color="blue" data-testid="catalogue-origin">{t.catalogues.loaded(v.shippedVersion)}</Tag>
                ) : (
                  <Tag data-testid="catalogue-origin">{t.catalogues.shipped}</Tag>
                )}
              </Space>
            ),
          },
          { title: t.catalogues.rows, dataIndex: "rows", align: "right" },
          {
            title: "",
            render: (_, v) =>
              v.origin === "loaded" ? (
                <Button size="small" data-testid={`catalogue-revert-${v.name}`} disabled={step !== "idle"} onClick={() => void revert(v.name)}>
                  {t.catalogues.revert}
                </Button>
              ) : null,
          },
        ]}
        expandable={{
          expandedRowRender: (v) => (
            <Typography.Paragraph type="secondary" className="catalogue-source">
              {t.catalogues.source}: {v.source}
              {v.path && <> · {v.path}</>}
            </Typography.Paragraph>
          ),
        }}
      />
      {versions
        .filter((v) => v.ignoredZh)
        .map((v) => (
          <Alert
            key={v.name}
            type="warning"
            showIcon
            className="result-alert"
            data-testid={`catalogue-ignored-${v.name}`}
            title={`${title(v)}: ${zh ? v.ignoredZh : v.ignoredEn}`}
          />
        ))}
      <Button className="catalogue-load" data-testid="catalogue-load" loading={step === "choosing"} disabled={step !== "idle"} onClick={() => void choose()}>
        {t.catalogues.load}
      </Button>
      {preview && <PreviewPanel preview={preview} busy={step !== "idle"} installing={step === "installing"} onInstall={install} />}
      {installed && (
        <Alert
          type="success"
          showIcon
          className="result-alert"
          data-testid="catalogue-installed"
          title={t.catalogues.inUse(title(installed), installed.version)}
        />
      )}
      <ErrorAlert error={error} testId="catalogue-error" />
    </Card>
  );
}

function PreviewPanel({
  preview,
  busy,
  installing,
  onInstall,
}: {
  preview: CataloguePreview;
  busy: boolean;
  installing: boolean;
  onInstall: () => Promise<void>;
}) {
  const t = useT();
  const zh = useLanguage() !== "en";
  if (!preview.valid) {
    return (
      <Alert
        type="error"
        showIcon
        className="result-alert"
        data-testid="catalogue-preview-errors"
        title={t.catalogues.invalid(preview.path)}
        description={
          <List
            size="small"
            dataSource={preview.errors}
            renderItem={(e) => <List.Item data-testid="catalogue-preview-error">{zh ? e.messageZh : e.messageEn}</List.Item>}
          />
        }
      />
    );
  }
  return (
    <div data-testid="catalogue-preview" className="catalogue-preview">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t.catalogues.file}>{preview.path}</Descriptions.Item>
        <Descriptions.Item label={t.catalogues.version}>
          <span data-testid="catalogue-preview-version">{t.catalogues.fromTo(preview.currentVersion ?? "—", preview.version ?? "—")}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t.catalogues.changes}>
          <span data-testid="catalogue-preview-summary">{t.catalogues.summary(preview.added, preview.removed, preview.changed)}</span>
        </Descriptions.Item>
      </Descriptions>
      <List
        size="small"
        dataSource={preview.examples}
        renderItem={(c) => (
          <List.Item data-testid="catalogue-preview-example">
            <Tag>{t.catalogues.change[c.change as "added" | "removed" | "changed"] ?? c.change}</Tag>
            {c.before && <Typography.Text delete>{c.before}</Typography.Text>}
            {c.before && c.after && " → "}
            {c.after && <Typography.Text>{c.after}</Typography.Text>}
          </List.Item>
        )}
      />
      <Button type="primary" data-testid="catalogue-install" loading={installing} disabled={busy} onClick={() => void onInstall()}>
        {t.catalogues.install}
      </Button>
    </div>
  );
}
