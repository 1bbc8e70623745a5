// Danh mục: the agency's catalogues. Everyone may look (the clerk picks from
// them); only the agency admin (edit_catalogues) adds and renames.
import { Card, Tabs, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import {
  createDepartment,
  createField,
  listDepartments,
  listFields,
  listLevels,
  renameDepartment,
  renameField,
  renameLevel,
  type Department,
  type Field,
  type Level,
} from '../api';
import { CATALOGUE_TABS, type CatalogueTab } from '../route';
import { namedTable } from '../common';
import DocumentTypesTab from './DocumentTypesTab';
import NamedListTab from './NamedListTab';
import RegistersTab from './RegistersTab';

interface Props {
  tab: CatalogueTab;
  onTab: (tab: CatalogueTab) => void;
  canEdit: boolean;
  onSessionLost: () => void;
}

const URGENCY_ID = 'truc-urgency-title';
const SECRECY_ID = 'truc-secrecy-title';
const FIELDS_ID = 'truc-fields-title';
const DEPARTMENTS_ID = 'truc-departments-title';
const UrgencyTable = namedTable(URGENCY_ID);
const SecrecyTable = namedTable(SECRECY_ID);
const FieldsTable = namedTable(FIELDS_ID);
const DepartmentsTable = namedTable(DEPARTMENTS_ID);

const loadUrgency = () => listLevels('urgency-levels');
const loadSecrecy = () => listLevels('secrecy-levels');
const renameUrgency = (id: number, name: string) => renameLevel('urgency-levels', id, name);
const renameSecrecy = (id: number, name: string) => renameLevel('secrecy-levels', id, name);

const rankColumn: TableColumnsType<Level> = [
  { title: 'Mức', dataIndex: 'rank', key: 'rank', width: 80 },
];

const usersColumn: TableColumnsType<Department> = [
  { title: 'Số người dùng', dataIndex: 'users', key: 'users', width: 140 },
];

const LEVEL_NOTE =
  'Các mức gắn với mã trong gói tin edXML nên không thêm hoặc bớt được; chỉ đổi được tên hiển thị.';

const TAB_LABELS: Record<CatalogueTab, string> = {
  'document-types': 'Loại văn bản',
  registers: 'Sổ văn bản',
  'urgency-levels': 'Độ khẩn',
  'secrecy-levels': 'Độ mật',
  fields: 'Lĩnh vực',
  departments: 'Phòng ban',
};

export default function CataloguesPage({ tab, onTab, canEdit, onSessionLost }: Props) {
  function content(which: CatalogueTab) {
    switch (which) {
      case 'document-types':
        return <DocumentTypesTab canEdit={canEdit} onSessionLost={onSessionLost} />;
      case 'registers':
        return <RegistersTab canEdit={canEdit} onSessionLost={onSessionLost} />;
      case 'urgency-levels':
        return (
          <>
            <NamedListTab<Level>
              titleId={URGENCY_ID}
              title="Độ khẩn"
              formName="urgency"
              nameLabel="Tên độ khẩn"
              empty="Chưa có độ khẩn nào"
              load={loadUrgency}
              leading={rankColumn}
              rename={renameUrgency}
              canEdit={canEdit}
              tableElement={UrgencyTable}
              onSessionLost={onSessionLost}
            />
            <Typography.Paragraph type="secondary" className="truc-note">
              {LEVEL_NOTE}
            </Typography.Paragraph>
          </>
        );
      case 'secrecy-levels':
        return (
          <>
            <NamedListTab<Level>
              titleId={SECRECY_ID}
              title="Độ mật"
              formName="secrecy"
              nameLabel="Tên độ mật"
              empty="Chưa có độ mật nào"
              load={loadSecrecy}
              leading={rankColumn}
              rename={renameSecrecy}
              canEdit={canEdit}
              tableElement={SecrecyTable}
              onSessionLost={onSessionLost}
            />
            <Typography.Paragraph type="secondary" className="truc-note">
              {LEVEL_NOTE}
            </Typography.Paragraph>
          </>
        );
      case 'fields':
        return (
          <NamedListTab<Field>
            titleId={FIELDS_ID}
            title="Lĩnh vực"
            formName="field"
            nameLabel="Tên lĩnh vực"
            empty="Chưa có lĩnh vực nào"
            load={listFields}
            adding={{
              label: 'Thêm lĩnh vực',
              create: createField,
              done: (name) => `Đã thêm lĩnh vực "${name}".`,
            }}
            rename={renameField}
            canEdit={canEdit}
            tableElement={FieldsTable}
            onSessionLost={onSessionLost}
          />
        );
      case 'departments':
        return (
          <NamedListTab<Department>
            titleId={DEPARTMENTS_ID}
            title="Phòng ban"
            formName="department"
            nameLabel="Tên phòng ban"
            empty="Chưa có phòng ban nào"
            load={listDepartments}
            columns={usersColumn}
            adding={{
              label: 'Thêm phòng ban',
              create: createDepartment,
              done: (name) => `Đã thêm phòng ban "${name}".`,
            }}
            rename={renameDepartment}
            canEdit={canEdit}
            tableElement={DepartmentsTable}
            onSessionLost={onSessionLost}
          />
        );
    }
  }

  return (
    <div className="truc-page">
      <Typography.Title level={2} className="truc-page-title">
        Danh mục
      </Typography.Title>
      <Card className="truc-card">
        <Tabs
          activeKey={tab}
          onChange={(key) => onTab(key as CatalogueTab)}
          destroyOnHidden
          items={CATALOGUE_TABS.map((key) => ({
            key,
            label: TAB_LABELS[key],
            children: content(key),
          }))}
        />
      </Card>
    </div>
  );
}
