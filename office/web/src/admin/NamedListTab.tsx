// One catalogue tab whose entries are known by their name: fields (lĩnh vực),
// departments (phòng ban), urgency and secrecy levels (độ khẩn, độ mật).
import { useState } from 'react';
import { App, Button, Empty, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { FailureAlert, NameDialog, useChange, useList } from '../common';

interface Adding {
  /** The button and the dialog's title, e.g. "Thêm lĩnh vực". */
  label: string;
  create: (name: string) => Promise<unknown>;
  /** The confirmation, given the new name. */
  done: (name: string) => string;
}

interface Props<T extends { id: number; name: string }> {
  /** The heading's id, which names the table. */
  titleId: string;
  title: string;
  /** The form names' prefix, e.g. "field". */
  formName: string;
  /** The name's label in the dialog and the column, e.g. "Tên lĩnh vực". */
  nameLabel: string;
  /** What the empty table says, e.g. "Chưa có lĩnh vực nào". */
  empty: string;
  load: () => Promise<T[]>;
  /** Columns after the name. */
  columns?: TableColumnsType<T>;
  /** Columns before the name (e.g. the rank). */
  leading?: TableColumnsType<T>;
  /** Absent where the catalogue cannot grow (levels are fixed by edXML). */
  adding?: Adding;
  rename: (id: number, name: string) => Promise<unknown>;
  /** Without edit_catalogues the tab only shows the list. */
  canEdit: boolean;
  /** The table element, named by the heading (see namedTable). */
  tableElement: (props: React.TableHTMLAttributes<HTMLTableElement>) => React.ReactElement;
  onSessionLost: () => void;
}

type Editing<T> = { mode: 'add' } | { mode: 'rename'; item: T } | null;

export default function NamedListTab<T extends { id: number; name: string }>({
  titleId,
  title,
  formName,
  nameLabel,
  empty,
  load,
  columns = [],
  leading = [],
  adding,
  rename,
  canEdit,
  tableElement,
  onSessionLost,
}: Props<T>) {
  const { message } = App.useApp();
  const { items, failure, reload } = useList(load, onSessionLost);
  const change = useChange(onSessionLost);
  const [editing, setEditing] = useState<Editing<T>>(null);

  const open = (next: Editing<T>) => {
    change.clear();
    setEditing(next);
  };

  const save = async (name: string) => {
    if (editing === null) return false;
    const ok =
      editing.mode === 'add' && adding !== undefined
        ? await change.run(() => adding.create(name))
        : editing.mode === 'rename'
          ? await change.run(() => rename(editing.item.id, name))
          : false;
    if (ok) {
      const added = editing.mode === 'add' && adding !== undefined;
      void message.success(added ? adding.done(name) : `Đã đổi tên thành "${name}".`);
      reload();
    }
    return ok;
  };

  const all: TableColumnsType<T> = [
    ...leading,
    { title: nameLabel, dataIndex: 'name', key: 'name' },
    ...columns,
    ...(canEdit
      ? [
          {
            title: 'Thao tác',
            key: 'actions',
            width: 110,
            render: (_: unknown, item: T) => (
              <Button
                size="small"
                icon={<EditOutlined aria-hidden="true" />}
                aria-label={`Sửa ${item.name}`}
                onClick={() => open({ mode: 'rename', item })}
              >
                Sửa
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <section aria-labelledby={titleId}>
      <div className="truc-toolbar">
        <Typography.Title level={3} id={titleId} className="truc-tab-title">
          {title}
        </Typography.Title>
        {canEdit && adding !== undefined && (
          <Button
            type="primary"
            icon={<PlusOutlined aria-hidden="true" />}
            onClick={() => open({ mode: 'add' })}
          >
            {adding.label}
          </Button>
        )}
      </div>
      <FailureAlert failure={failure} />
      <Table<T>
        rowKey="id"
        columns={all}
        dataSource={items ?? []}
        loading={items === null}
        pagination={false}
        size="middle"
        scroll={{ x: 'max-content' }}
        components={{ table: tableElement }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      />
      <NameDialog
        formName={`${formName}-${editing?.mode ?? 'closed'}`}
        title={editing?.mode === 'add' && adding !== undefined ? adding.label : 'Đổi tên'}
        label={nameLabel}
        initial={editing === null ? null : editing.mode === 'add' ? '' : editing.item.name}
        okText={editing?.mode === 'add' ? 'Thêm' : 'Lưu'}
        onSave={save}
        onClose={() => setEditing(null)}
        busy={change.busy}
        failure={change.failure}
      />
    </section>
  );
}
