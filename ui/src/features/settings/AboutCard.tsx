// Settings → 关于: versions and where every kind of data lives, each folder with a button that
// opens it (by name: Rust resolves the path inside the data directory).

import { Button, Card, Descriptions, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { useBackend, type AboutInfo } from "../../api";
import { useErrorNotice } from "../../components/useErrorNotice";
import { useT } from "../../i18n";

export function AboutCard() {
  const t = useT();
  const backend = useBackend();
  const notifyError = useErrorNotice();
  const [about, setAbout] = useState<AboutInfo | null>(null);

  useEffect(() => {
    let live = true;
    backend.aboutInfo().then((a) => live && setAbout(a), notifyError);
    return () => {
      live = false;
    };
  }, [backend, notifyError]);

  if (!about) return null;
  return (
    <Card size="small" title={t.settings.aboutTitle} className="settings-card" data-testid="settings-about">
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: "version", label: t.settings.aboutVersion, children: <span data-testid="about-version">{about.version}</span> },
          { key: "schema", label: t.settings.aboutSchema, children: <span data-testid="about-schema">{about.schemaVersion}</span> },
          { key: "sqlite", label: t.settings.aboutSqlite, children: <span data-testid="about-sqlite">{about.sqliteVersion}</span> },
          { key: "os", label: t.settings.aboutOs, children: about.os },
          { key: "db", label: t.settings.aboutDatabase, children: <Typography.Text className="path-text">{about.database}</Typography.Text> },
          ...about.folders.map((f) => ({
            key: f.folder,
            label: t.settings.folders[f.folder],
            children: (
              <Space wrap>
                <Typography.Text className="path-text" data-testid={`about-folder-${f.folder}`}>
                  {f.path}
                </Typography.Text>
                <Button
                  size="small"
                  data-testid={`about-open-${f.folder}`}
                  onClick={() => void backend.openDataFolder(f.folder).catch(notifyError)}
                >
                  {t.settings.openFolder}
                </Button>
              </Space>
            ),
          })),
        ]}
      />
    </Card>
  );
}
