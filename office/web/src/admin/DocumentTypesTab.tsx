// The document types (loại văn bản) and their abbreviations (Nghị định 30/2020/NĐ-CP).
import { useState } from 'react';
import { App, Button, Empty, Form, Input, Modal, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  createDocumentType,
  listDocumentTypes,
  updateDocumentType,
  type DocumentType,
} from '../api';
import { changeDialog, FailureAlert, namedTable, nameRules, useChange, useList } from '../common';

const TITLE_ID = 'truc-doc-types-title';
const TypesTable = namedTable(TITLE_ID);
const NAME_MAX = 100;
const ABBREVIATION_MAX = 10;

interface Props {
  canEdit: boolean;
  onSessionLost: () => void;
}

type Fields = { abbreviation: string; name: string };
type Editing = { mode: 'add' } | { mode: 'edit'; item: DocumentType } | null;

function Abbreviation({ value }: { value: string }) {
  return value === '' ? (
    <Typography.Text type="secondary" aria-label="Không có ký hiệu">
      —
    </Typography.Text>
  ) : (
    <>{value}</>
  );
}

export default function DocumentTypesTab({ canEdit, onSessionLost }: Props) {
  const { message } = App.useApp();
  const { items, failure, reload } = useList(listDocumentTypes, onSessionLost);
  const change = useChange(onSessionLost);
  const [editing, setEditing] = useState<Editing>(null);
  const [form] = Form.useForm<Fields>();

  const open = (next: Editing) => {
    change.clear();
    setEditing(next);
  };
  const close = () => {
    if (!change.busy) setEditing(null);
  };

  const submit = async (fields: Fields) => {
    if (editing === null) return;
    const abbreviation = (fields.abbreviation ?? '').trim();
    const name = fields.name.trim();
    const ok = await change.run(() =>
      editing.mode === 'add'
        ? createDocumentType(abbreviation, name)
        : updateDocumentType(editing.item.id, abbreviation, name),
    );
    if (!ok) return;
    void message.success(
      editing.mode === 'add' ? `Đã thêm loại văn bản "${name}".` : `Đã lưu loại văn bản "${name}".`,
    );
    setEditing(null);
    reload();
  };

  const columns: TableColumnsType<DocumentType> = [
    {
      title: 'Ký hiệu',
      dataIndex: 'abbreviation',
      key: 'abbreviation',
      width: 120,
      render: (value: string) => <Abbreviation value={value} />,
    },
    { title: 'Tên loại văn bản', dataIndex: 'name', key: 'name' },
    ...(canEdit
      ? [
          {
            title: 'Thao tác',
            key: 'actions',
            width: 110,
            render: (_: unknown, item: DocumentType) => (
              <Button
                size="small"
                icon={<EditOutlined aria-hidden="true" />}
                aria-label={`Sửa ${item.name}`}
                onClick={() => open({ mode: 'edit', item })}
              >
                Sửa
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <section aria-labelledby={TITLE_ID}>
      <div className="truc-toolbar">
        <Typography.Title level={3} id={TITLE_ID} className="truc-tab-title">
          Loại văn bản
        </Typography.Title>
        {canEdit && (
          <Button
            type="primary"
            icon={<PlusOutlined aria-hidden="true" />}
            onClick={() => open({ mode: 'add' })}
          >
            Thêm loại văn bản
          </Button>
        )}
      </div>
      <FailureAlert failure={failure} />
      <Table<DocumentType>
        rowKey="id"
        columns={columns}
        dataSource={items ?? []}
        loading={items === null}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        size="middle"
        scroll={{ x: 'max-content' }}
        components={{ table: TypesTable }}
        locale={{
          emptyText: (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa có loại văn bản nào" />
          ),
        }}
      />
      <Modal
        title={editing?.mode === 'edit' ? 'Sửa loại văn bản' : 'Thêm loại văn bản'}
        open={editing !== null}
        okText={editing?.mode === 'edit' ? 'Lưu' : 'Thêm'}
        {...changeDialog(change.busy, close)}
        onOk={() => form.submit()}
      >
        <FailureAlert failure={change.failure} />
        <Form
          form={form}
          name="document-type"
          layout="vertical"
          requiredMark={false}
          initialValues={
            editing?.mode === 'edit'
              ? { abbreviation: editing.item.abbreviation, name: editing.item.name }
              : { abbreviation: '', name: '' }
          }
          onFinish={(fields) => void submit(fields)}
          disabled={change.busy}
          preserve={false}
        >
          <Form.Item
            label="Tên loại văn bản"
            name="name"
            rules={nameRules('tên loại văn bản', NAME_MAX)}
          >
            <Input maxLength={NAME_MAX} autoFocus />
          </Form.Item>
          <Form.Item
            label="Ký hiệu"
            name="abbreviation"
            extra="Chữ viết tắt dùng trong số, ký hiệu văn bản, ví dụ QĐ; để trống nếu không có."
            rules={[
              { max: ABBREVIATION_MAX, message: `Ký hiệu có tối đa ${ABBREVIATION_MAX} ký tự.` },
            ]}
          >
            <Input maxLength={ABBREVIATION_MAX} />
          </Form.Item>
        </Form>
      </Modal>
    </section>
  );
}
