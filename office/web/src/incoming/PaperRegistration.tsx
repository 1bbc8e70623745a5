// The clerk's "Vào sổ văn bản giấy": a document that arrived on paper (by post
// or by hand) is scanned, its scans sent one by one as they are chosen, and the
// document registered at once into an incoming register, with the next arrival
// number of the same counter as electronic documents.
import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Select,
  Space,
  Typography,
  Upload,
} from 'antd';
import type { DatePickerProps, UploadFile, UploadProps } from 'antd';
import { ArrowLeftOutlined, UploadOutlined } from '@ant-design/icons';
import {
  isSessionLost,
  listDocumentTypes,
  listIncomingRegisters,
  registerPaper,
  SCAN_TYPES,
  uploadFile,
  type DocumentType,
  type Register,
  type UploadedFile,
} from '../api';
import { errorText, PRIORITIES, registeredMessage } from '../i18n';
import { todayInVietnam } from '../format';
import { FailureAlert, registerOptions, useChange } from '../common';

interface Props {
  /** The new document is registered: open it. */
  onRegistered: (id: number) => void;
  onCancel: () => void;
  onSessionLost: () => void;
}

type Day = NonNullable<DatePickerProps['value']>;

interface Fields {
  register_id: number;
  sender_name: string;
  code_number: string;
  code_notation?: string;
  document_type: string;
  promulgation_date: Day;
  subject: string;
  priority: number;
  signer_name?: string;
  due_date?: Day | null;
}

// The server's limits (Decree 30, Appendix VI), so that the form says so first.
const MAX = { sender: 200, number: 11, notation: 30, type: 100, subject: 500, signer: 50 };
const MAX_SCANS = 20;
const DATE_FORMAT = 'DD/MM/YYYY';
const TITLE_ID = 'truc-paper-title';

// The server refuses a document dated after its today, in Vietnam.
const afterToday = (day: Day) => day.format('YYYY-MM-DD') > todayInVietnam();

function lengthRule(max: number, what: string) {
  return { max, message: `${what} không quá ${max} ký tự.` };
}

function requiredRule(message: string) {
  return { required: true, whitespace: true, message };
}

export default function PaperRegistration({ onRegistered, onCancel, onSessionLost }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const [registers, setRegisters] = useState<Register[] | null>(null);
  const [types, setTypes] = useState<DocumentType[]>([]);
  const [scans, setScans] = useState<UploadFile<UploadedFile>[]>([]);
  const change = useChange(onSessionLost);
  const { busy, failure, fail: setFailure } = change;

  useEffect(() => {
    let live = true;
    Promise.all([listIncomingRegisters(), listDocumentTypes()])
      .then(([registerList, typeList]) => {
        if (!live) return;
        setRegisters(registerList);
        setTypes(typeList);
        if (registerList.length > 0) form.setFieldValue('register_id', registerList[0].id);
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (isSessionLost(e)) {
          onSessionLost();
          return;
        }
        setRegisters([]);
        setFailure(errorText(e));
      });
    return () => {
      live = false;
    };
  }, [form, onSessionLost]);

  // Each chosen file goes to the server at once; the form sends only their ids.
  const sendScan: UploadProps<UploadedFile>['customRequest'] = ({ file, onSuccess, onError }) => {
    uploadFile(file as File)
      .then((answer) => onSuccess?.(answer))
      .catch((e: unknown) => {
        if (isSessionLost(e)) onSessionLost();
        // The list shows the message of a refused file beside it.
        onError?.(new Error(errorText(e).text));
      });
  };

  const chooseScan: UploadProps<UploadedFile>['beforeUpload'] = (file) => {
    if (!(SCAN_TYPES as readonly string[]).includes(file.type)) {
      void message.error(`${file.name}: chỉ nhận tệp PDF, JPEG hoặc PNG.`);
      return Upload.LIST_IGNORE;
    }
    return true;
  };

  const scansChanged: UploadProps<UploadedFile>['onChange'] = ({ fileList }) => {
    setScans(fileList.slice(0, MAX_SCANS));
  };

  const submit = async (fields: Fields) => {
    change.clear();
    if (scans.some((scan) => scan.status === 'uploading')) {
      setFailure({ text: 'Vui lòng chờ tải xong các tệp scan.', code: 'form.uploading' });
      return;
    }
    const uploaded = scans.filter((scan) => scan.status === 'done' && scan.response);
    if (uploaded.length === 0) {
      setFailure({ text: 'Vui lòng tải lên ít nhất một tệp scan.', code: 'form.no_scan' });
      return;
    }
    const answer = await change.attempt(() =>
      registerPaper({
        register_id: fields.register_id,
        sender_name: fields.sender_name.trim(),
        code_number: fields.code_number.trim(),
        code_notation: (fields.code_notation ?? '').trim(),
        document_type: fields.document_type.trim(),
        subject: fields.subject.trim(),
        promulgation_date: fields.promulgation_date.format('YYYY-MM-DD'),
        priority: fields.priority,
        signer_name: (fields.signer_name ?? '').trim(),
        due_date: fields.due_date ? fields.due_date.format('YYYY-MM-DD') : null,
        uploads: uploaded.map((scan) => (scan.response as UploadedFile).id),
      }),
    );
    if (answer === null) return;
    void message.success(registeredMessage(answer.value.arrival_number));
    onRegistered(answer.value.id);
  };

  const noRegister = registers !== null && registers.length === 0 && failure === null;
  return (
    <div className="truc-page">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Button icon={<ArrowLeftOutlined aria-hidden="true" />} onClick={onCancel}>
          Quay lại danh sách
        </Button>
        <Typography.Title level={2} className="truc-page-title" id={TITLE_ID}>
          Vào sổ văn bản giấy
        </Typography.Title>
      </Space>
      <Card className="truc-card">
        <FailureAlert failure={failure} role="alert" />
        {noRegister && (
          <Alert
            type="warning"
            showIcon
            message="Chưa có sổ văn bản đến nào. Quản trị cơ quan cần mở sổ trước."
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<Fields>
          form={form}
          name="paper-registration"
          aria-labelledby={TITLE_ID}
          layout="vertical"
          onFinish={(fields) => void submit(fields)}
          disabled={busy}
          initialValues={{ priority: 0 }}
          scrollToFirstError
        >
          <Form.Item
            label="Sổ đăng ký"
            name="register_id"
            rules={[{ required: true, message: 'Vui lòng chọn sổ văn bản đến.' }]}
          >
            <Select
              loading={registers === null}
              placeholder="Chọn sổ văn bản đến"
              options={registerOptions(registers)}
            />
          </Form.Item>
          <Form.Item
            label="Nơi gửi"
            name="sender_name"
            rules={[
              requiredRule('Vui lòng nhập cơ quan, tổ chức gửi văn bản.'),
              lengthRule(MAX.sender, 'Nơi gửi'),
            ]}
          >
            <Input maxLength={MAX.sender} autoComplete="off" />
          </Form.Item>
          <Space wrap align="start" className="truc-paper-row">
            <Form.Item
              label="Số"
              name="code_number"
              rules={[requiredRule('Vui lòng nhập số văn bản.'), lengthRule(MAX.number, 'Số')]}
            >
              <Input maxLength={MAX.number} autoComplete="off" />
            </Form.Item>
            <Form.Item
              label="Ký hiệu"
              name="code_notation"
              rules={[lengthRule(MAX.notation, 'Ký hiệu')]}
            >
              <Input maxLength={MAX.notation} placeholder="UBND-VP" autoComplete="off" />
            </Form.Item>
          </Space>
          <Form.Item
            label="Loại văn bản"
            name="document_type"
            rules={[
              requiredRule('Vui lòng nhập loại văn bản.'),
              lengthRule(MAX.type, 'Loại văn bản'),
            ]}
          >
            <AutoComplete
              options={types.map((t) => ({ value: t.name }))}
              filterOption={(input, option) =>
                (option?.value ?? '').toLocaleLowerCase('vi').includes(input.toLocaleLowerCase('vi'))
              }
              maxLength={MAX.type}
              placeholder="Công văn"
            />
          </Form.Item>
          <Form.Item
            label="Ngày văn bản"
            name="promulgation_date"
            rules={[{ required: true, message: 'Vui lòng chọn ngày của văn bản.' }]}
          >
            <DatePicker
              format={DATE_FORMAT}
              disabledDate={afterToday}
              placeholder="dd/mm/yyyy"
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item
            label="Trích yếu"
            name="subject"
            rules={[requiredRule('Vui lòng nhập trích yếu.'), lengthRule(MAX.subject, 'Trích yếu')]}
          >
            <Input.TextArea rows={3} maxLength={MAX.subject} showCount />
          </Form.Item>
          <Form.Item label="Độ khẩn" name="priority" rules={[{ required: true }]}>
            <Select options={PRIORITIES} />
          </Form.Item>
          <Form.Item
            label="Người ký"
            name="signer_name"
            rules={[lengthRule(MAX.signer, 'Người ký')]}
          >
            <Input maxLength={MAX.signer} placeholder="Không bắt buộc" autoComplete="off" />
          </Form.Item>
          <Form.Item
            label="Hạn xử lý"
            name="due_date"
            dependencies={['promulgation_date']}
            rules={[
              ({ getFieldValue }) => ({
                validator(_, value: Day | null | undefined) {
                  const written = getFieldValue('promulgation_date') as Day | undefined;
                  if (!value || !written || !value.isBefore(written, 'day')) {
                    return Promise.resolve();
                  }
                  return Promise.reject(new Error('Hạn xử lý không trước ngày văn bản.'));
                },
              }),
            ]}
          >
            <DatePicker
              format={DATE_FORMAT}
              placeholder="dd/mm/yyyy (không bắt buộc)"
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item
            label={<span id="truc-paper-scans">Tệp scan</span>}
            extra={`PDF, JPEG hoặc PNG; tối đa ${MAX_SCANS} tệp, theo thứ tự trang.`}
            required
          >
            <Upload<UploadedFile>
              accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
              multiple
              fileList={scans}
              customRequest={sendScan}
              beforeUpload={chooseScan}
              onChange={scansChanged}
              maxCount={MAX_SCANS}
            >
              <Button
                icon={<UploadOutlined aria-hidden="true" />}
                aria-describedby="truc-paper-scans"
              >
                Chọn tệp scan
              </Button>
            </Upload>
          </Form.Item>
          <Space wrap>
            <Button type="primary" htmlType="submit" loading={busy} disabled={noRegister}>
              Vào sổ
            </Button>
            <Button onClick={onCancel} disabled={busy}>
              Hủy
            </Button>
          </Space>
        </Form>
      </Card>
    </div>
  );
}
